#!/usr/bin/python3
"""The gallery's figures drawn by matplotlib with layout="constrained", for
the comparison next to headviz's (scripts/gallery.sh):
    matplotlib_gallery.py KIND DATA OUT.png WIDTH_IN HEIGHT_IN DPI TICK_PT
KIND: seed (DATA = the bundled CSV: one scatter panel per condition, a
colorbar each), heatmap / diff / models (DATA = a study folder with study.ini,
tests/data/make_study.py). The type is TICK_PT for ticks, 1.2x for labels."""
import configparser
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MARKERS = ["o", "x", "s", "^", "D", "P", "*"]


def study(folder):
    cp = configparser.ConfigParser(interpolation=None, strict=False)
    cp.read(os.path.join(folder, "study.ini"), encoding="utf-8")
    models, conds, grids = [], [], {}
    for sec in cp.sections():
        if sec.startswith("source:"):
            m, c = cp[sec]["model"], cp[sec]["condition"]
            models += [m] if m not in models else []
            conds += [c] if c not in conds else []
            grids[m, c] = np.load(os.path.join(folder, sec.split(":", 1)[1].strip()))
    return models, conds, grids


def top_k(g, k=10):
    idx = np.argsort(-g, axis=None, kind="stable")[:k]
    return np.unravel_index(idx, g.shape)


def main():
    kind, data, out = sys.argv[1], sys.argv[2], sys.argv[3]
    w, h, dpi, tick = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
    plt.rcParams.update({"font.size": tick, "axes.titlesize": tick * 1.2, "axes.labelsize": tick * 1.2})
    if kind == "seed":
        rows = list(csv.DictReader(open(data)))
        conds = list(dict.fromkeys(r["condition"] for r in rows))
        models = list(dict.fromkeys(r["model"] for r in rows))
        fig, axes = plt.subplots(1, len(conds), figsize=(w, h), dpi=dpi, layout="constrained")
        for ax, cond in zip(axes, conds):
            sc = None
            for mi, m in enumerate(models):
                pts = [r for r in rows if r["condition"] == cond and r["model"] == m]
                sc = ax.scatter([float(r["layer"]) for r in pts], [float(r["head"]) for r in pts],
                                c=[float(r["score"]) for r in pts], cmap="viridis", marker=MARKERS[mi], label=m,
                                vmin=0, vmax=max(float(r["score"]) for r in rows if r["condition"] == cond))
            ax.set(xlim=(-1, 31), ylim=(-1, 31), xlabel="Layer", ylabel="Head",
                   title="Top 10 Safety Heads on " + cond)
            ax.legend(loc="upper right")
            fig.colorbar(sc, ax=ax, label="Generalized Ships")
    else:
        models, conds, grids = study(data)
        if kind == "diff":
            cols = [f"{b} \u2212 {a}" for a, b in zip(conds, conds[1:])]
            vals = {(m, i): grids[m, conds[i + 1]] - grids[m, conds[i]] for m in models for i in range(len(cols))}
            vmax = max(np.abs(v).max() for v in vals.values())
            fig, axes = plt.subplots(len(models), len(cols), figsize=(w, h), dpi=dpi, layout="constrained",
                                     squeeze=False)
            for r, m in enumerate(models):
                for c, col in enumerate(cols):
                    im = axes[r][c].imshow(vals[m, c].T, origin="lower", aspect="auto", cmap="RdBu_r",
                                           vmin=-vmax, vmax=vmax, interpolation="nearest")
                    if r == 0:
                        axes[r][c].set_title(col)
                    if c == 0:
                        axes[r][c].set_ylabel(m)
            fig.colorbar(im, ax=axes, label="\u0394 Score")
        elif kind == "heatmap":
            lo = min(g.min() for g in grids.values())
            hi = max(g.max() for g in grids.values())
            fig, axes = plt.subplots(len(models), len(conds), figsize=(w, h), dpi=dpi, layout="constrained",
                                     squeeze=False)
            for r, m in enumerate(models):
                for c, cond in enumerate(conds):
                    im = axes[r][c].imshow(grids[m, cond].T, origin="lower", aspect="auto", cmap="viridis",
                                           vmin=lo, vmax=hi, interpolation="nearest")
                    if r == 0:
                        axes[r][c].set_title(cond)
                    if c == 0:
                        axes[r][c].set_ylabel(m)
            fig.supxlabel("Layer", fontsize=tick * 1.2)
            fig.colorbar(im, ax=axes, label="Score")
        else:  # models: the first condition's top 10 of each model, a panel each
            n = len(models)
            cols = 3 if n > 4 else n
            rows_n = (n + cols - 1) // cols
            fig, axes = plt.subplots(rows_n, cols, figsize=(w, h), dpi=dpi, layout="constrained", squeeze=False)
            hi = max(grids[m, conds[0]].max() for m in models)
            sc = None
            for i, m in enumerate(models):
                ax = axes[i // cols][i % cols]
                g = grids[m, conds[0]]
                L, H = top_k(g)
                sc = ax.scatter(L, H, c=g[L, H], cmap="viridis", vmin=0, vmax=hi, marker=MARKERS[i % 7])
                ax.set(xlim=(-1, g.shape[0]), ylim=(-1, g.shape[1]), title=m)
            for j in range(n, rows_n * cols):
                axes[j // cols][j % cols].set_axis_off()
            fig.suptitle("Top 10 Safety Heads on " + conds[0])
            fig.supxlabel("Layer", fontsize=tick * 1.2)
            fig.supylabel("Head", fontsize=tick * 1.2)
            fig.colorbar(sc, ax=axes, label="Score")
    fig.savefig(out, dpi=dpi)


if __name__ == "__main__":
    main()
