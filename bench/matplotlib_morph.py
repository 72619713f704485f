#!/usr/bin/python3
"""The same morph export in matplotlib, for comparison with headviz.

Draws the bundled data's two-condition morph (one viewport, positions and
colours interpolated, colorbar range animated) and saves every frame with
savefig at 1920x1080, the way a matplotlib user would. Prints frames/s.
usage: matplotlib_morph.py CSV OUTDIR FRAMES
"""
import csv
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    path, outdir, frames = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rows = list(csv.DictReader(open(path)))
    conds = list(dict.fromkeys(r["condition"] for r in rows))
    a = [r for r in rows if r["condition"] == conds[0]]
    b = [r for r in rows if r["condition"] == conds[1]]
    # pair by rank within each model, as headviz --match rank
    pairs = []
    for m in dict.fromkeys(r["model"] for r in rows):
        sa = sorted((r for r in a if r["model"] == m), key=lambda r: -float(r["score"]))
        sb = sorted((r for r in b if r["model"] == m), key=lambda r: -float(r["score"]))
        for i in range(min(len(sa), len(sb))):
            pairs.append((m, sa[i], sb[i]))
    xa = np.array([float(p[1]["layer"]) for p in pairs])
    ya = np.array([float(p[1]["head"]) for p in pairs])
    xb = np.array([float(p[2]["layer"]) for p in pairs])
    yb = np.array([float(p[2]["head"]) for p in pairs])
    ca = np.array([float(p[1]["score"]) for p in pairs])
    cb = np.array([float(p[2]["score"]) for p in pairs])
    os.makedirs(outdir, exist_ok=True)
    t0 = time.time()
    for i in range(frames):
        u = i / max(1, frames - 1)
        e = 4 * u**3 if u < 0.5 else 1 - (-2 * u + 2) ** 3 / 2
        fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=100)
        sc = ax.scatter(xa + (xb - xa) * e, ya + (yb - ya) * e, c=ca + (cb - ca) * e,
                        cmap="viridis", vmin=0, vmax=70 + (22 - 70) * e, s=100)
        ax.set_xlim(-1, 31)
        ax.set_ylim(-1, 31)
        ax.set_xticks(range(0, 31, 2))
        ax.set_yticks(range(0, 31, 2))
        ax.set_xlabel("Layer")
        ax.set_ylabel("Head")
        ax.set_title("Top 10 Safety Heads on %s" % (conds[0] if e < 0.5 else conds[1]))
        fig.colorbar(sc, ax=ax, label="Generalized Ships")
        fig.savefig(os.path.join(outdir, "frame_%05d.png" % i))
        plt.close(fig)
    dt = time.time() - t0
    print("matplotlib: %d frames at 1920x1080 in %.2f s: %.1f frames/s" % (frames, dt, frames / dt))


if __name__ == "__main__":
    main()
