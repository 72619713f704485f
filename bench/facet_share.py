#!/usr/bin/python3
"""The share of the figure that shows data: headviz's facet heatmap next to
matplotlib's layout="constrained" 5 x 3 imshow grid with one shared colorbar,
on the same data (tests/data/make_study.py: five models of real shapes, three
conditions, long and non-ASCII names), at the same sizes, in the same run.

    bench/facet_share.py HEADVIZ [OUTDIR]

A pixel "shows data" when its colour is within 6 levels of a viridis entry
(cells and the colorbar, in both figures). Both figures mark each model's
top 10 heads per condition the same way: two 1 px rings around the cell
(at 300 dpi 2 px), the ground's colour inside the text's; matplotlib's are
Rectangle patches as a user would add them, headviz's are its own (which
also enlarge a cell smaller than 5 px to a 5 px patch, so they hide more).
matplotlib's type: 11 px tick labels at pixel sizes (100 dpi), 5 pt at
physical sizes (300 dpi), and for every other text (headers, model names,
"Layer", "Score") headviz's ratio to them: 1.2 (matplotlib's own "large")
in pixels, 1.1 in points; headviz: its own defaults (--context paper at
physical sizes), and again with --font-scale bringing all its type to
matplotlib's (the "same type" column).
The column headers are the condition names in both (title = {condition}) and
both share one colour range (colorbar = shared).
matplotlib twice: as its users get it (the rotated model names run into each
other and off the figure at small sizes), and with every name whole (the
names wrapped with textwrap at the most characters a line for which none
touches another and all stand inside the figure, the best a user gets by
hand; "nan" where no wrap holds them).
Prints one line per size; writes the PNGs into OUTDIR (default: a temporary
folder) for a look."""
import os
import subprocess
import sys
import tempfile
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.patches as patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.transforms import IdentityTransform  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from matplotlib_gallery import study as gallery_study  # noqa: E402
from matplotlib_gallery import top_k  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = [("640x360", 6.4, 3.6, 100, False), ("1280x720", 12.8, 7.2, 100, False),
         ("3.5inx2.5in", 3.5, 2.5, 300, True), ("7inx5in", 7.0, 5.0, 300, True)]


def share(png):
    img = plt.imread(png)[..., :3]
    if img.dtype != np.uint8:
        img = np.round(img * 255)
    px = img.reshape(-1, 3).astype(np.int16)
    lut = np.round(matplotlib.colormaps["viridis"](np.linspace(0, 1, 256))[:, :3] * 255).astype(np.int16)
    hit = np.zeros(len(px), bool)
    for chunk in range(0, len(px), 200000):
        p = px[chunk:chunk + 200000]
        d = np.abs(p[:, None, :] - lut[None, :, :]).max(axis=2).min(axis=1)
        hit[chunk:chunk + 200000] = d <= 6
    return hit.mean()


def overlaps(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def names_whole(fig, axes):
    """Whether every model name (the y labels) and condition name (the
    titles) is inside the figure and clear of the others."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    box = fig.bbox
    ext = [ax.yaxis.label.get_window_extent(r) for ax in axes[:, 0]]
    ext += [ax.title.get_window_extent(r) for ax in axes[0, :]]
    inside = all(e.x0 >= box.x0 - 0.5 and e.y0 >= box.y0 - 0.5 and e.x1 <= box.x1 + 0.5 and e.y1 <= box.y1 + 0.5
                 for e in ext)
    return inside and not any(overlaps(a, b) for i, a in enumerate(ext) for b in ext[i + 1:])


def mark_top_k(fig, axes, models, conds, grids, dpi):
    """Each panel's top 10 cells ringed as headviz rings them: a ring in the
    ground's colour next to the cell, then one in the text's, each 0.5 and
    0.75 of a 96-dpi pixel (at least 1 px), as Rectangle patches in pixels
    placed once the layout is done."""
    fig.canvas.draw()
    halo, line = max(1, round(0.5 * dpi / 96)), max(1, round(0.75 * dpi / 96))
    for r, m in enumerate(models):
        for c, cond in enumerate(conds):
            ax = axes[r][c]
            for layer, head in zip(*top_k(grids[m, cond])):
                (x0, y0), (x1, y1) = ax.transData.transform([(layer - 0.5, head - 0.5), (layer + 0.5, head + 0.5)])
                x0, y0, x1, y1 = round(x0), round(y0), round(x1), round(y1)
                for off, lw, colour in ((halo / 2, halo, "white"), (halo + line / 2, line, "#1a1a1a")):
                    fig.add_artist(patches.Rectangle((x0 - off, y0 - off), x1 - x0 + 2 * off, y1 - y0 + 2 * off,
                                                     fill=False, lw=lw * 72 / dpi, edgecolor=colour,
                                                     antialiased=False, transform=IdentityTransform(),
                                                     in_layout=False))


def matplotlib_whole(study, w, h, dpi, physical, out):
    """matplotlib with every name whole: the model names wrapped (textwrap)
    at the most characters a line for which no two names touch and all
    stand inside the figure, as a user would wrap them by hand; None when
    no wrap holds them."""
    models, _, _ = gallery_study(study)
    for width in range(max(len(m) for m in models), 3, -1):
        if matplotlib_figure(study, w, h, dpi, physical, out, wrap=width):
            return out
    return None


def matplotlib_figure(study, w, h, dpi, physical, out, wrap=None):
    models, conds, grids = gallery_study(study)
    lo = min(g.min() for g in grids.values())
    hi = max(g.max() for g in grids.values())
    tick = 5 if physical else 11 * 72 / dpi
    head = (1.1 if physical else 1.2) * tick
    plt.rcParams.update({"font.size": tick, "axes.titlesize": head, "axes.labelsize": head})
    fig, axes = plt.subplots(len(models), len(conds), figsize=(w, h), dpi=dpi, layout="constrained", squeeze=False)
    im = None
    for r, m in enumerate(models):
        for c, cond in enumerate(conds):
            ax = axes[r][c]
            im = ax.imshow(grids[m, cond].T, origin="lower", aspect="auto", cmap="viridis", vmin=lo, vmax=hi,
                           interpolation="nearest")
            if r == 0:
                ax.set_title(cond)
            if c == 0:
                ax.set_ylabel(textwrap.fill(m, wrap, break_on_hyphens=True) if wrap else m)
            else:
                ax.set_yticklabels([])
    fig.supxlabel("Layer", fontsize=head)
    fig.colorbar(im, ax=axes, label="Score")
    whole = wrap is None or names_whole(fig, axes)
    if whole:
        mark_top_k(fig, axes, models, conds, grids, dpi)
        fig.savefig(out, dpi=dpi)
    plt.close(fig)
    return whole


def main():
    hv = os.path.abspath(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="facet-share-")
    os.makedirs(out, exist_ok=True)
    study = os.path.join(out, "study")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "..", "tests", "data", "make_study.py"), study],
                   check=True)
    # the same text as matplotlib's: the condition names over the columns
    with open(os.path.join(study, "study.ini"), encoding="utf-8") as fh:
        ini = fh.read().replace("title = Top {k} Safety Heads on {condition}", "title = {condition}\ncolorbar = shared")
    with open(os.path.join(study, "study.ini"), "w", encoding="utf-8") as fh:
        fh.write(ini)
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
    print(f"share of the pixels showing data ({out}); headviz at its own type, and at matplotlib's")
    print(f"{'size':<14} {'headviz':>8} {'same type':>10} {'matplotlib':>11} {'names whole':>12}"
          "   tick labels (headviz / matplotlib)")
    for name, w, h, dpi, physical in SIZES:
        mpl_png = os.path.join(out, f"matplotlib_{name}.png")
        shares = []
        for variant, extra in (("", []), ("_sametype", ["--font-scale", "0.625" if physical else "0.7333"])):
            hv_png = os.path.join(out, f"headviz_{name}{variant}.png")
            args = [hv, "--spec", os.path.join(study, "study.ini"), "--layout", "heatmap", "--size", name,
                    "--screenshot", hv_png, "--force"] + extra
            if physical:
                args += ["--dpi", str(dpi), "--context", "paper"]
            r = subprocess.run(args, env=env, capture_output=True, text=True)
            shares.append(share(hv_png) if r.returncode == 0 else float("nan"))
        matplotlib_figure(study, w, h, dpi, physical, mpl_png)
        whole = matplotlib_whole(study, w, h, dpi, physical, os.path.join(out, f"matplotlib_{name}_whole.png"))
        types = "8 pt ticks / 5 pt" if physical else "15 px ticks / 11 px"
        print(f"{name:<14} {shares[0]:8.2f} {shares[1]:10.2f} {share(mpl_png):11.2f} "
              f"{share(whole) if whole else float('nan'):12.2f}   {types}")


if __name__ == "__main__":
    main()
