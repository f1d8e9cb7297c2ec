#!/usr/bin/env python3
"""The DSFF experiment's figure and table: held-out mean Dice per granularity and variant, one dot per seed, a bar at
their mean, and each bar's mean tile latency under it (an SVG); the same as a Markdown table on standard output, with
each dynamic variant's churn and Dice drop per update. Standard library only.

    examples/dsff-plot.py OUT/results.csv OUT/latency.csv docs/dsff.svg ["title"]
"""
import csv
import sys
from collections import OrderedDict
from statistics import mean

VARIANT_COLOURS = {"dense": "#777777", "static": "#4c72b0", "random": "#dd8452", "gradient": "#55a868",
                   "random:ceil": "#c44e52", "gradient:ceil": "#8172b3"}


def read(results, latency):
    rows = list(csv.DictReader(open(results)))
    tiles = {}
    try:
        for r in csv.DictReader(open(latency)):
            tiles[(r["seed"], r["granularity"], r["variant"])] = float(r["tile_ms"])
    except FileNotFoundError:
        pass
    groups = OrderedDict()
    for r in rows:
        g = "dense" if r["variant"] == "dense" else r["granularity"]
        cell = groups.setdefault(g, OrderedDict()).setdefault(r["variant"], {"dice": [], "ms": [], "seeds": [], "churn": [],
                                                                             "drop": []})
        cell["dice"].append(float(r["mean_dice"]))
        cell["seeds"].append(r["seed"])
        for key, column in (("churn", "pruned_share_per_update"), ("drop", "dice_drop_per_update")):
            if r.get(column):
                cell[key].append(float(r[column]))
        t = tiles.get((r["seed"], r["granularity"], r["variant"]))
        if t is not None:
            cell["ms"].append(t)
    return groups


def svg(groups, title):
    bar, gap, left, top, height = 34, 26, 60, 40, 300
    cells = sum(len(v) for v in groups.values())
    width = left + cells * bar + (len(groups) + 1) * gap + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 90}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="20" font-size="13">{title}</text>']
    y = lambda d: top + height * (1 - d)
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.1f}</text>')
    out.append(f'<text x="14" y="{top + height / 2}" transform="rotate(-90 14 {top + height / 2})" '
               f'text-anchor="middle">held-out mean Dice</text>')
    x = left + gap
    for g, variants in groups.items():
        x0 = x
        for v, cell in variants.items():
            m = mean(cell["dice"])
            colour = VARIANT_COLOURS.get(v, "#999999")
            out.append(f'<rect x="{x}" y="{y(m):.1f}" width="{bar - 6}" height="{height * m:.1f}" fill="{colour}" '
                       f'fill-opacity="0.55"><title>{g} {v}: mean {m:.3f} over {len(cell["dice"])} seeds</title></rect>')
            for d in cell["dice"]:
                out.append(f'<circle cx="{x + (bar - 6) / 2:.1f}" cy="{y(d):.1f}" r="3" fill="black"/>')
            out.append(f'<text x="{x + (bar - 6) / 2:.1f}" y="{y(m) - 5:.1f}" text-anchor="middle">{m:.2f}</text>')
            label = v.replace(":ceil", " ceil")
            out.append(f'<text x="{x + (bar - 6) / 2:.1f}" y="{top + height + 14}" text-anchor="end" '
                       f'transform="rotate(-40 {x + (bar - 6) / 2:.1f} {top + height + 14})">{label}</text>')
            if cell["ms"]:
                out.append(f'<text x="{x + (bar - 6) / 2:.1f}" y="{top + height + 62}" text-anchor="middle" '
                           f'font-size="9">{mean(cell["ms"]):.1f} ms</text>')
            x += bar
        out.append(f'<text x="{(x0 + x - 6) / 2:.1f}" y="{top + height + 80}" text-anchor="middle" '
                   f'font-weight="bold">{g}</text>')
        x += gap
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(groups):
    lines = ["| granularity | variant | held-out mean Dice per seed | mean | spread | against static, same seeds (points) | tile ms "
             "| units pruned per update | Dice points lost per update |", "|---|---|---|---|---|---|---|---|---|"]
    fmt = lambda v, f: f.format(mean(v)) if v else ""
    static_by_seed = {(g, s): d for g, variants in groups.items() for v, c in variants.items() if v == "static"
                      for s, d in zip(c["seeds"], c["dice"])}
    for g, variants in groups.items():
        for v, c in variants.items():
            # the seed moves Dice far more than the variant: compare each run with the static run of its own seed
            base = [(d, static_by_seed.get(("channel" if g == "dense" else g, s))) for s, d in zip(c["seeds"], c["dice"])]
            paired = [100 * (d - b) for d, b in base if b is not None]
            against = f"{mean(paired):+.1f} over {len(paired)}" if paired and v != "static" else ""
            per_seed = ", ".join(f"{d:.3f} (s{s})" for s, d in sorted(zip(c["seeds"], c["dice"])))
            spread = f"{max(c['dice']) - min(c['dice']):.3f}" if len(c["dice"]) > 1 else ""
            lines.append(f"| {g} | {v} | {per_seed} | {mean(c['dice']):.3f} | {spread} | {against} | {fmt(c['ms'], '{:.2f}')} "
                         f"| {fmt(c['churn'], '{:.0%}')} | {fmt(c['drop'], '{:.2f}')} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    groups = read(sys.argv[1], sys.argv[2])
    title = sys.argv[4] if len(sys.argv) > 4 else "DSFF: held-out mean Dice per seed (dots) and their mean (bars)"
    with open(sys.argv[3], "w") as f:
        f.write(svg(groups, title))
    print(table(groups))
