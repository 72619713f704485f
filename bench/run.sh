#!/usr/bin/env bash
# Prints headviz's figures, each labelled with what it measures:
#   1. stills: process start to a written file (median of 7) and peak memory,
#      the seed figure and 100,000 markers, CPU (default) and GL renderers;
#   2. exports of frames that ALL differ (the morph's transition alone, no
#      frame held on a condition) at 1920x1080 and 3840x2160, with the
#      per-stage timings (--timings); then the full cycle, whose held frames
#      are written from one encode (that figure is the cache's, not the
#      general case); memory over 300 and 900 frames;
#   3. the live window's cost per frame (bench_live) at 10,000 and 100,000
#      markers;
#   4. matplotlib drawing the same distinct frames, and the ratio;
#   5. video (bench/bench_video.sh when present), vector output, readers.
# usage: bench/run.sh [--quick]  (builds a Release tree in build-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
B=$(pwd)/build-bench
HV=$B/headviz
RS=$B/bench/runstat
export SDL_VIDEODRIVER=offscreen
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
fps_of() { sed -n 's/.*: \([0-9.]*\) frames\/s$/\1/p'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "GL: $("$B/bench/bench_render" 64x64 2 2>/dev/null | sed 's/.*; //')"
echo

# --- data: 100,000 markers (2 models x 2 conditions x 400 x 400 grids, top
# 25,000 each) and 5 models x 3 conditions of heatmap grids (bench_readers)
readers=$("$B/bench/bench_readers" "$T")
BIG=()
for m in A B; do
  for c in c1 c2; do BIG+=(--grid "$m" "$c" "$T/big_${m}_$c.npy"); done
done
HEAT=()
for m in 0 1 2 3 4; do
  for c in 0 1 2; do HEAT+=(--grid "model $m" "condition $c" "$T/heat_${m}_$c.npy"); done
done

echo "== 1. stills: process start to a written file (median of 7), peak memory =="
still() { # label, file extension, args...
  local label=$1 ext=$2
  shift 2
  local ms=() rss=""
  for i in 1 2 3 4 5 6 7; do
    rm -f "$T/s.$ext"
    ms+=("$("$RS" "$HV" --screenshot "$T/s.$ext" "$@" 2>&1 >/dev/null | field wall_ms)")
  done
  rm -f "$T/s.$ext"
  rss=$("$RS" "$HV" --screenshot "$T/s.$ext" "$@" 2>&1 >/dev/null | field peak_rss_mb)
  printf '  %-58s %7.1f ms  peak %6.1f MB\n' "$label" "$(printf '%s\n' "${ms[@]}" | median)" "$rss"
}
still "seed figure 1920x1080 PNG (CPU renderer, the default)" png
still "seed figure 1920x1080 PNG, --renderer gl" png --renderer gl
still "seed figure 3840x2160 PNG" png --size 3840x2160
still "seed figure PDF (1920x1080 px page)" pdf
still "seed figure SVG" svg
still "100,000 markers 1920x1080 PNG (CPU renderer)" png "${BIG[@]}" --top 25000
still "100,000 markers 1920x1080 PNG, --renderer gl" png "${BIG[@]}" --top 25000 --renderer gl
still "heatmap, 5 models x 3 conditions, 3840x2160 PNG" png --layout heatmap "${HEAT[@]}" --size 3840x2160
echo

echo "== 2. exports: PNG frames, whole process =="
export_line() { # label, args...
  local label=$1
  shift
  rm -rf "$T/f"
  local out
  out=$("$RS" "$HV" --export-frames "$T/f" --timings "$@" 2>"$T/err")
  printf '  %-58s %6.1f frames/s  peak %6.1f MB\n' "$label" "$(fps_of <<<"$out")" "$(field peak_rss_mb <"$T/err")"
  grep -E '^timings|^  ' "$T/err" | sed 's/^/      /'
  rm -rf "$T/f"
}
DISTINCT=(--layout morph --match rank --hold 0 --transition 1)
export_line "distinct frames (transition only), 1920x1080, 120 frames, --renderer gl" "${DISTINCT[@]}" --frames 120 --renderer gl
export_line "distinct frames, 3840x2160, 120 frames, --renderer gl" "${DISTINCT[@]}" --frames 120 --size 3840x2160 --renderer gl
export_line "distinct frames, 1920x1080, --renderer cpu" "${DISTINCT[@]}" --frames 120 --renderer cpu
export_line "distinct frames, 3840x2160, --renderer cpu" "${DISTINCT[@]}" --frames 120 --size 3840x2160 --renderer cpu
export_line "distinct frames, 1920x1080, --renderer auto (the default)" "${DISTINCT[@]}" --frames 120
export_line "heatmap layout (5 models x 3 conditions), distinct, 1920x1080" --layout heatmap --hold 0 --transition 1 \
  --frames 120 "${HEAT[@]}" --renderer gl
export_line "heatmap layout, distinct, 3840x2160, 60 frames" --layout heatmap --hold 0 --transition 1 \
  --frames 60 "${HEAT[@]}" --size 3840x2160 --renderer gl
if [ "$quick" != --quick ]; then
  export_line "full cycle (held frames reuse one encode), 1920x1080, 300" --layout morph --match rank --renderer gl
  export_line "full cycle, 3840x2160, 300 frames" --layout morph --match rank --size 3840x2160 --renderer gl
  export_line "full cycle, 3840x2160, 900 frames (memory stays flat)" --layout morph --match rank --size 3840x2160 --duration 15 --renderer gl
fi
echo

echo "== 3. the live window: build + GL draw per frame, no swap (bench_live) =="
for k in 5000 50000; do
  "$B/bench/bench_live" 1920x1080 30 "${BIG[@]}" --top $k --layout morph --match rank | sed 's/^/  /'
done
for s in 1920x1080 3840x2160; do
  "$B/bench/bench_live" $s 30 "${HEAT[@]}" --layout heatmap | sed 's/^/  /'
done
echo

echo "== 4. matplotlib, the same distinct frames (the transition, 1920x1080) =="
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3 # the Debian one, where python3-matplotlib lives
if "$PY" -c "import matplotlib" 2>/dev/null; then
  line=$("$PY" bench/matplotlib_morph.py assets/safety_heads.csv "$T/mpl" 40)
  echo "  $line"
  rm -rf "$T/mpl"
  mem=$("$RS" "$PY" bench/matplotlib_morph.py assets/safety_heads.csv "$T/mpl1" 1 2>&1 >/dev/null)
  echo "  matplotlib, one frame, whole process: $(field wall_ms <<<"$mem") ms, peak $(field peak_rss_mb <<<"$mem") MB"
  mpl=$(fps_of <<<"$line")
  rm -rf "$T/f"
  hv=$("$HV" --export-frames "$T/f" "${DISTINCT[@]}" --frames 120 | fps_of)
  awk -v a="$hv" -v b="$mpl" 'BEGIN { printf "  headviz / matplotlib on distinct 1920x1080 frames: %.0fx (%.1f vs %.1f frames/s)\n", a / b, a, b }'
else
  echo "  matplotlib: not installed (apt-get install python3-matplotlib): no comparison"
fi
echo

echo "== 5. video, vector output, readers =="
if [ -f bench/bench_video.sh ]; then
  bash bench/bench_video.sh "$HV" | sed 's/^/  /'
fi
"$B/bench/bench_vector" 1920x1080 15 "$T" | sed 's/^/  /'
sed 's/^/  /' <<<"$readers"
