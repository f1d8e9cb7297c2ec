#!/usr/bin/env python3
"""How far each dynamic run of the DSFF experiment moved from its initial masks: the share of the final active
kernels that were active in the initial draw. The static run of the same seed and granularity holds that draw (a run's
initial masks depend only on its seed and spec), so both must be in OUT. Standard library only.

    examples/dsff-churn.py OUT
"""
import csv
import json
import os
import struct
import sys


def masks(bundle):
    with open(os.path.join(bundle, "masks.safetensors"), "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        out[name] = data[a:b]
    return out


def main(out):
    rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
    print("seed,granularity,variant,kept_from_initial_draw")
    for r in rows:
        if r["variant"] in ("dense", "static"):
            continue
        run = os.path.join(out, "runs", f"s{r['seed']}-{r['granularity'].replace(':', '')}-{r['variant'].replace(':', '')}")
        start = os.path.join(out, "runs", f"s{r['seed']}-{r['granularity'].replace(':', '')}-static")
        if not os.path.isdir(os.path.join(start, "model")):
            continue
        first, last = masks(os.path.join(start, "model")), masks(os.path.join(run, "model"))
        active = sum(sum(m) for m in last.values())
        kept = sum(sum(a & b for a, b in zip(first[k], last[k])) for k in last)
        print(f"{r['seed']},{r['granularity']},{r['variant']},{kept / active:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
