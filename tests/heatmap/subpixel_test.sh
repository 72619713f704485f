#!/usr/bin/env bash
# Cells smaller than a pixel: a 2000 x 8 grid (2000 layers over a few
# hundred pixels: about four cells a pixel) whose only warm cells are
# layers 1000..1007, one per head, at a quarter of the top score (the top
# cell, marked, is far away at layer 100). Taking the cell under each
# pixel's centre would skip most of them; every one must tint its head's
# row of pixels (the mean of the cells a pixel covers), in the CPU raster and
# in GL alike.
#   subpixel_test.sh HEADVIZ PNGTOOL
set -u
HV=$1
PT=$2
. "$(dirname "$0")/../lib.sh"
need_numpy
export SDL_VIDEODRIVER=offscreen
cd "$T" || exit 1
/usr/bin/python3 - <<'PY'
import numpy as np
g = np.zeros((2000, 8), np.float32)
for h in range(8):
    g[1000 + h, h] = 25.0
g[100, 0] = 100.0
np.save("g.npy", g)
PY
for r in cpu gl; do
  if ! "$HV" --grid M C g.npy --layout heatmap --top 1 --size 640x360 --renderer $r --screenshot $r.png >/dev/null 2>&1; then
    [ $r = gl ] && { echo "skip gl: no GL context here"; continue; }
    bad "$r: headviz failed"
    continue
  fi
  "$PT" rgb $r.png >$r.rgb
  # the heads whose row of cells holds a warm pixel between the x of layers
  # 900 and 1100 (the cells: the dark purple's extent)
  heads=$(/usr/bin/python3 - "$r.rgb" <<'PY'
import sys
import numpy as np
px = np.fromfile(sys.argv[1], np.uint8).reshape(360, 640, 3).astype(int)
bg = np.array([68, 1, 84])  # viridis at 0
dark = (np.abs(px - bg).max(axis=2) <= 6)
rows = np.where(dark.sum(axis=1) > 200)[0]
cols = np.where(dark.sum(axis=0) > 50)[0]
y0, y1, x0, x1 = rows.min(), rows.max(), cols.min(), cols.max()
w = x1 - x0 + 1
a, b = x0 + int(w * 900 / 2000), x0 + int(w * 1100 / 2000)
warm = (np.abs(px[y0:y1 + 1, a:b] - bg).max(axis=2) > 12).any(axis=1)
# head h's row of cells (head 0 at the bottom), looked at in its middle
h_px = (y1 - y0 + 1) / 8
print(sum(bool(warm[int((7 - h + 0.5) * h_px)]) for h in range(8)))
PY
)
  same "$r: all eight warm cells of sub-pixel width tint their heads' rows" 8 "$heads"
done
finish
