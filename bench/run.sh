#!/usr/bin/env bash
# Prints headviz's figures: export frames/s at 1920x1080 and 3840x2160,
# process start to a written 1920x1080 --screenshot, ms per rendered frame
# without encoding, and the peak memory of each; then the same morph export in
# matplotlib when python3-matplotlib is installed, and the ratio; then the
# seed figure as PDF and SVG (file sizes, time to write).
# usage: bench/run.sh  (builds a Release tree in build-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
HV=$(pwd)/build-bench/headviz
RS=$(pwd)/build-bench/bench/runstat
BR=$(pwd)/build-bench/bench/bench_render
export SDL_VIDEODRIVER=offscreen
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

# 1. still: process start to a written PNG (median of 7)
ms=()
for i in 1 2 3 4 5 6 7; do
  ms+=("$("$RS" "$HV" --screenshot "$T/s$i.png" 2>&1 >/dev/null | field wall_ms)")
done
med=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 4p)
rss=$("$RS" "$HV" --screenshot "$T/s.png" 2>&1 >/dev/null | field peak_rss_mb)
echo "still 1920x1080 (--screenshot, whole process): ${med} ms median of 7, peak ${rss} MB"

# 2. render only, no encoding
for size in 1920x1080 3840x2160; do
  line=$("$RS" "$BR" "$size" 121 2>"$T/rs")
  echo "$line, peak $(field peak_rss_mb <"$T/rs") MB"
done

# 3. export: the morph, one full cycle (5 s at 60 fps = 300 frames)
for size in 1920x1080 3840x2160; do
  out=$("$RS" "$HV" --export-frames "$T/f_$size" --layout morph --match rank --size "$size" 2>"$T/rs")
  fps=$(sed -n 's/.*: \([0-9.]*\) frames\/s$/\1/p' <<<"$out")
  echo "export $size, 300 PNG frames: $fps frames/s, peak $(field peak_rss_mb <"$T/rs") MB"
  rm -rf "$T/f_$size"
  [ "$size" = 1920x1080 ] && HV_FPS_1080=$fps
done
# memory does not grow with the number of frames
out=$("$RS" "$HV" --export-frames "$T/long" --layout morph --match rank --size 3840x2160 --duration 15 2>"$T/rs")
echo "export 3840x2160, 900 frames: $(sed -n 's/.*: \([0-9.]*\) frames\/s$/\1/p' <<<"$out") frames/s, peak $(field peak_rss_mb <"$T/rs") MB"
rm -rf "$T/long"

# 4. matplotlib, same machine, same run
if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  line=$(/usr/bin/python3 bench/matplotlib_morph.py assets/safety_heads.csv "$T/mpl" 40)
  echo "$line"
  mpl=$(sed -n 's/.*: \([0-9.]*\) frames\/s$/\1/p' <<<"$line")
  awk -v a="$HV_FPS_1080" -v b="$mpl" 'BEGIN { printf "headviz / matplotlib export speed at 1920x1080: %.1fx\n", a / b }'
else
  echo "matplotlib: not installed (apt-get install python3-matplotlib) - no comparison"
fi

# 5. vector output: the seed figure as PDF and SVG (sizes, write times)
"$(pwd)/build-bench/bench/bench_vector" 1920x1080 15 "$T"
