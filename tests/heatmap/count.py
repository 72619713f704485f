#!/usr/bin/python3
"""Counts in a rendered PNG (read through pngtool rgb) what the heatmap tests
assert. Prints one number.
    count.py PNGTOOL FILE top R G B       top cells that still show their colour:
        connected patches of pixels within 8 of (R, G B) holding a solid 3 x 3
        block, left of the rightmost such patch (the colorbar's end), each at
        least 3/4 of a cell (the median run of equal pixels across the image)
    count.py PNGTOOL FILE share OTHER     the share of the plot that keeps the
        cells' colour in FILE: 1 - pixels that differ from OTHER (the same
        figure without separators) / the area of their bounding box
    count.py PNGTOOL FILE rows OTHER      rows of pixels that differ
    count.py PNGTOOL FILE same OTHER      pixels that differ"""
import subprocess
import sys

import numpy as np


def load(tool, path):
    w, h, _ = map(int, subprocess.check_output([tool, "info", path]).split())
    raw = subprocess.check_output([tool, "rgb", path])
    return np.frombuffer(raw, np.uint8).reshape(h, w, 3).astype(np.int16)


def patches(mask):
    """4-connected components of mask: a list of (ys, xs) arrays."""
    seen = np.zeros_like(mask)
    out = []
    for y0, x0 in zip(*np.nonzero(mask)):
        if seen[y0, x0]:
            continue
        stack, ys, xs = [(y0, x0)], [], []
        seen[y0, x0] = True
        while stack:
            y, x = stack.pop()
            ys.append(y)
            xs.append(x)
            for yy, xx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= yy < mask.shape[0] and 0 <= xx < mask.shape[1] and mask[yy, xx] and not seen[yy, xx]:
                    seen[yy, xx] = True
                    stack.append((yy, xx))
        out.append((np.array(ys), np.array(xs)))
    return out


def runs(a):
    """Lengths of the runs of equal pixels along axis 1 of a (rows, n, 3)."""
    change = (a[:, 1:] != a[:, :-1]).any(axis=2)
    out = []
    for row in change:
        idx = np.flatnonzero(row)
        out.extend(np.diff(idx).tolist())
    return np.array(out)


def cell_size(img):
    """The heatmap's cell width and height: the median run of equal pixels
    across the image (the cells are most of it)."""
    return float(np.median(runs(img))), float(np.median(runs(img.transpose(1, 0, 2))))


def main():
    tool, path, what = sys.argv[1:4]
    img = load(tool, path)
    if what == "top":
        want = np.array([int(v) for v in sys.argv[4:7]], np.int16)
        mask = (np.abs(img - want) <= 8).all(axis=2)
        # a solid 3 x 3 block: the pixel and its 8 neighbours all match
        core = mask.copy()
        core[1:-1, 1:-1] &= (mask[:-2, :-2] & mask[:-2, 1:-1] & mask[:-2, 2:] & mask[1:-1, :-2] & mask[1:-1, 2:]
                             & mask[2:, :-2] & mask[2:, 1:-1] & mask[2:, 2:])
        core[0, :] = core[-1, :] = core[:, 0] = core[:, -1] = False
        ps = [p for p in patches(mask) if core[p[0], p[1]].any()]
        if not ps:
            print(0)
            return
        ps.sort(key=lambda p: p[1].min())
        ps = ps[:-1]  # the rightmost is the colorbar's top
        cw, ch = cell_size(img)
        print(sum(1 for p in ps if len(p[0]) >= 0.75 * cw * ch), file=sys.stdout)
        print(f"cells {cw:.1f} x {ch:.1f} px; patches {[len(p[0]) for p in ps]}", file=sys.stderr)
    elif what == "share":
        other = load(tool, sys.argv[4])
        diff = (img != other).any(axis=2)
        ys, xs = np.nonzero(diff)
        if len(ys) == 0:
            print("1.000")
            return
        box = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
        print(f"{1 - diff.sum() / box:.3f}")
    elif what == "rows":
        other = load(tool, sys.argv[4])
        print(int((img != other).any(axis=2).any(axis=1).sum()))
    elif what == "same":
        other = load(tool, sys.argv[4])
        print(int((img != other).any(axis=2).sum()))


main()
