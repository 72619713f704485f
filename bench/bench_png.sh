#!/usr/bin/env bash
# PNG export figures: for 1920x1080 and 3840x2160, the morph export of 60
# frames that all differ (--hold 0 --transition 1), RUNS times: the median of
# its frames/s, of the whole process's CPU ms per frame and of the filter and
# deflate stages (--timings), and the PNG bytes per frame; then bench_png on
# those frames (encoding alone, per mode, on one thread).
# usage: bench/bench_png.sh [RUNS]   (default 5; builds a Release tree in build-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
HV=$(pwd)/build-bench/headviz
BP=$(pwd)/build-bench/bench/bench_png
export SDL_VIDEODRIVER=offscreen
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for size in 1920x1080 3840x2160; do
  : >"$T/runs"
  for i in $(seq "$RUNS"); do
    rm -rf "$T/f"
    out=$("$HV" --layout morph --match rank --hold 0 --transition 1 --frames 60 --size "$size" \
      --export-frames "$T/f" --timings 2>&1)
    fps=$(sed -n 's/.*: \([0-9.]*\) frames\/s$/\1/p' <<<"$out")
    cpu=$(sed -n 's/.*elapsed, \([0-9.]*\) ms\/frame CPU.*/\1/p' <<<"$out")
    filter=$(sed -n 's/.* filter \([0-9.]*\) .*/\1/p' <<<"$out")
    deflate=$(sed -n 's/.* deflate \([0-9.]*\) .*/\1/p' <<<"$out")
    echo "$fps $cpu $filter $deflate" >>"$T/runs"
  done
  bytes=$(cat "$T"/f/frame_*.png | wc -c)
  printf 'export %s, 60 frames, median of %d runs: %s frames/s, %s ms/frame CPU (whole process), filter %s + deflate %s ms/frame CPU, %d bytes/frame\n' \
    "$size" "$RUNS" "$(cut -d' ' -f1 "$T/runs" | median)" "$(cut -d' ' -f2 "$T/runs" | median)" \
    "$(cut -d' ' -f3 "$T/runs" | median)" "$(cut -d' ' -f4 "$T/runs" | median)" $((bytes / 60))
  "$BP" "$T/f" "$RUNS"
  echo
done
