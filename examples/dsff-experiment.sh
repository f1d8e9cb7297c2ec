#!/usr/bin/env bash
# The DSFF experiment: held-out mean Dice at equal training budget for dense, static masks, dynamic masks with
# random regrowth (SET, the paper's) and with gradient regrowth (RigL), per granularity and seed, with each
# exported model's tile latency. One row per run in OUT/results.csv; every run's bundle, export, predictions
# and evaluation stay under OUT/runs/.
#
#   examples/dsff-experiment.sh OUT [seeds] [granularities] [variants] [epochs] [iters]
#   examples/dsff-experiment.sh out/dsff "0 1 2" "kernel channel group:4" "dense static random gradient" 16 100
#
# Data: the quickstart's phantoms (16 training, 4 held-out, 32x48x48, seed 7). Network: the tiny preset at sparsity
# 0.8. Dynamic runs use a schedule relative to the run: DSFF_UPDATES updates (default 8) over the first
# DSFF_UPDATE_END of training (default 0.75, RigL's), at most DSFF_MAX_PRUNE_SHARE (default 0.34) of a tensor's
# active units per update. Each run trains with 2 threads; a run of 16 x 100 iterations takes about 4 minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
e2enet="$root/bin/e2enet"
out="${1:?usage: $0 OUT [seeds] [granularities] [variants] [epochs] [iters]}"
seeds="${2:-0}"
granularities="${3:-channel}"
variants="${4:-static random gradient}"
epochs="${5:-16}"
iters="${6:-100}"
updates="${DSFF_UPDATES:-8}"
update_end="${DSFF_UPDATE_END:-0.75}"
max_prune="${DSFF_MAX_PRUNE_SHARE:-0.34}"
mkdir -p "$out/runs"
data="$out/phantoms"
[ -d "$data" ] || "$e2enet" synth --out "$data" --cases 16 --test-cases 4 --seed 7 --shape 32 48 48 > /dev/null
results="$out/results.csv"
[ -f "$results" ] || echo "seed,granularity,variant,mean_dice,tile_ms,train_seconds" > "$results"
for seed in $seeds; do
  for g in $granularities; do
    for v in $variants; do
      if [ "$v" = dense ] && [ "$g" != "$(echo $granularities | cut -d' ' -f1)" ]; then
        continue  # dense does not depend on the granularity: run it once per seed
      fi
      name="s$seed-${g/:/}-$v"
      run="$out/runs/$name"
      if grep -q "^$seed,$g,$v," "$results"; then
        echo "$name: done already"
        continue
      fi
      case "$v" in
        dense)    opts=(--sparsity 0) ;;
        static)   opts=(--sparsity 0.8 --granularity "$g" --static) ;;
        random)   opts=(--sparsity 0.8 --granularity "$g" --updates "$updates" --update-end "$update_end" --max-prune-share "$max_prune" --regrow-by random) ;;
        gradient) opts=(--sparsity 0.8 --granularity "$g" --updates "$updates" --update-end "$update_end" --max-prune-share "$max_prune" --regrow-by gradient) ;;
        *) echo "unknown variant $v" >&2; exit 2 ;;
      esac
      rm -rf "$run" && mkdir -p "$run"
      start=$(date +%s)
      "$e2enet" train --dataset "$data" --preset tiny "${opts[@]}" --epochs "$epochs" --iters-per-epoch "$iters" --seed "$seed" \
        --threads 2 --out "$run/model" > "$run/train.log" 2>&1
      seconds=$(( $(date +%s) - start ))
      "$e2enet" export --model "$run/model" --out "$run/model.onnx" > /dev/null
      "$e2enet" predict --onnx "$run/model.onnx" --input "$data/imagesTs" --output "$run/pred" --threads 2 > /dev/null 2>&1
      dice=$("$e2enet" evaluate --pred "$run/pred" --ref "$data/labelsTs" --json | python3 -c "import json,sys; print(round(json.load(sys.stdin)['meanDice'], 4))")
      tile=$("$e2enet" bench --onnx "$run/model.onnx" --runs 20 --threads 2 --json | python3 -c "import json,sys; print(round(json.load(sys.stdin)[0]['tileMedianMs'], 2))")
      echo "$seed,$g,$v,$dice,$tile,$seconds" | tee -a "$results"
    done
  done
done
