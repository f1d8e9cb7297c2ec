#!/usr/bin/env bash
# The DSFF experiment: held-out mean Dice at equal training budget for dense, static masks, dynamic masks with
# random regrowth (SET, the paper's) and with gradient regrowth (RigL), per granularity and seed, with each
# exported model's tile latency. One row per run in OUT/results.csv; every run's bundle, export, predictions,
# evaluation and training log stay under OUT/runs/.
#
#   examples/dsff-experiment.sh OUT [seeds] [granularities] [variants] [epochs] [iters]
#   examples/dsff-experiment.sh out/dsff "0 1 2" "channel group:4 kernel" "dense static random gradient" 26 100
#   examples/dsff-experiment.sh out/dsff bench     # time every run's pruned export in one bench run
#
# Data: the quickstart's phantoms (16 training, 4 held-out, 32x48x48, seed 7), or DSFF_DATASET, a dataset with
# imagesTs/labelsTs (the macaque atlas task: examples/run macaque-task DIR). Network: the tiny preset at sparsity 0.8
# with the quickstart's (16, 48, 48) patch on the phantoms and the preset's patch on DSFF_DATASET (DSFF_PATCH="D H W"
# overrides); the defaults, 26 x 100 iterations, are the quickstart's budget. Variants: dense (sparsity 0, once per seed), static, random, gradient; random:ceil and gradient:ceil
# count each update's prunes as the paper does, ceil(dr x active), instead of DSFF_PRUNE_ROUNDING (default round).
# Dynamic runs use a schedule relative to the run: DSFF_UPDATES updates (default 8) with the rest of the recipe that
# `train --updates` applies (window, cap per update and rounding: docs/dsff.md); DSFF_UPDATE_END,
# DSFF_MAX_PRUNE_SHARE and DSFF_PRUNE_ROUNDING override them. Each run trains with DSFF_THREADS threads (default 2): two copies of this script with one thread each and
# different seeds can share OUT and a 2-core machine; run the bench step once both are done, so that every latency
# comes from one quiet run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
e2enet="$root/bin/e2enet"
out="${1:?usage: $0 OUT [seeds] [granularities] [variants] [epochs] [iters] | $0 OUT bench}"
threads="${DSFF_THREADS:-2}"
results="$out/results.csv"

if [ "${2:-}" = bench ]; then
  models=()
  for r in $(tail -n +2 "$results" | cut -d, -f1-3 | tr , ' ' | awk '{print $1"|"$2"|"$3}'); do
    IFS='|' read -r seed g v <<< "$r"
    models+=(--onnx "$out/runs/s$seed-${g/:/}-${v/:/}/model.onnx")
  done
  "$e2enet" bench "${models[@]}" --runs 20 --threads 2 --json > "$out/bench.json"
  python3 - "$results" "$out/bench.json" "$out/latency.csv" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
bench = json.load(open(sys.argv[2]))
with open(sys.argv[3], "w") as f:
    f.write("seed,granularity,variant,tile_ms\n")
    for r, b in zip(rows, bench):
        f.write(f"{r['seed']},{r['granularity']},{r['variant']},{b['tileMedianMs']:.2f}\n")
EOF
  cat "$out/latency.csv"
  exit 0
fi

seeds="${2:-0}"
granularities="${3:-channel}"
variants="${4:-static random gradient}"
epochs="${5:-26}"
iters="${6:-100}"
updates="${DSFF_UPDATES:-8}"
# only what the caller overrides: train's --updates recipe holds the defaults
recipe=()
[ -z "${DSFF_UPDATE_END:-}" ] || recipe+=(--update-end "$DSFF_UPDATE_END")
[ -z "${DSFF_MAX_PRUNE_SHARE:-}" ] || recipe+=(--max-prune-share "$DSFF_MAX_PRUNE_SHARE")
mkdir -p "$out/runs"
if [ -n "${DSFF_DATASET:-}" ]; then
  data="$DSFF_DATASET"   # e.g. the macaque atlas task: examples/run macaque-task out/macaque-task
  read -r -a patch <<< "${DSFF_PATCH:-}"
else
  data="$out/phantoms"
  [ -d "$data" ] || "$e2enet" synth --out "$data" --cases 16 --test-cases 4 --seed 7 --shape 32 48 48 > /dev/null
  read -r -a patch <<< "${DSFF_PATCH:-16 48 48}"
fi
patch_opt=()
[ ${#patch[@]} -eq 0 ] || patch_opt=(--patch "${patch[@]}")
[ -f "$results" ] || echo "seed,granularity,variant,mean_dice,train_seconds,pruned_share_per_update,dice_drop_per_update" > "$results"
for seed in $seeds; do
  for g in $granularities; do
    for v in $variants; do
      if [ "$v" = dense ] && [ "$g" != "$(echo $granularities | cut -d' ' -f1)" ]; then
        continue  # dense does not depend on the granularity: run it once per seed
      fi
      name="s$seed-${g/:/}-${v/:/}"
      run="$out/runs/$name"
      if grep -q "^$seed,$g,$v," "$results"; then
        echo "$name: done already"
        continue
      fi
      regrow="${v%%:*}"
      round=()
      [ -z "${DSFF_PRUNE_ROUNDING:-}" ] || round=(--prune-rounding "$DSFF_PRUNE_ROUNDING")
      [ "$v" = "$regrow" ] || round=(--prune-rounding "${v#*:}")
      case "$regrow" in
        dense)  opts=(--sparsity 0) ;;
        static) opts=(--sparsity 0.8 --granularity "$g" --static) ;;
        random|gradient)
          opts=(--sparsity 0.8 --granularity "$g" --updates "$updates" "${recipe[@]}" --regrow-by "$regrow" "${round[@]}" --probe-updates) ;;
        *) echo "unknown variant $v" >&2; exit 2 ;;
      esac
      rm -rf "$run" && mkdir -p "$run"
      start=$(date +%s)
      "$e2enet" train --dataset "$data" --preset tiny "${patch_opt[@]}" "${opts[@]}" --epochs "$epochs" --iters-per-epoch "$iters" \
        --seed "$seed" --threads "$threads" --out "$run/model" > "$run/train.log" 2>&1
      seconds=$(( $(date +%s) - start ))
      "$e2enet" export --model "$run/model" --out "$run/model.onnx" > /dev/null
      "$e2enet" predict --onnx "$run/model.onnx" --input "$data/imagesTs" --output "$run/pred" --threads "$threads" > /dev/null 2>&1
      "$e2enet" evaluate --pred "$run/pred" --ref "$data/labelsTs" --json > "$run/evaluation.json"
      dice=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['meanDice'], 4))" "$run/evaluation.json")
      # Topology churn: the share of the masked tensors' active units one update removed, and how many points of
      # validation pseudo-Dice an update cost right away (--probe-updates), each averaged over the updates.
      churn=$(python3 - "$run/train.log" <<'EOF'
import re, sys
shares, drops, active, pruned = [], [], 0, 0
for line in open(sys.argv[1], errors="replace"):
    if "DSFF update at" in line:
        if active:
            shares.append(pruned / active)
        active, pruned = 0, 0
    m = re.match(r"\s+\S+\s+active\s+(\d+)\s+pruned\s+(\d+)", line)
    if m:
        active += int(m.group(1)); pruned += int(m.group(2))
    m = re.search(r"DSFF probe at iteration \d+: validation pseudo-Dice right before ([\d.]+), right after ([\d.]+)", line)
    if m:
        drops.append(100 * (float(m.group(1)) - float(m.group(2))))
if active:
    shares.append(pruned / active)
mean = lambda v: round(sum(v) / len(v), 3) if v else ""
print(f"{mean(shares)},{mean(drops)}")
EOF
)
      echo "$seed,$g,$v,$dice,$seconds,$churn" | tee -a "$results"
    done
  done
done
