#!/usr/bin/env bash
# bench_video: how fast --video exports the morph's distinct frames (no
# hold, a 1 s transition: 120 frames, each one rendered) at 1920x1080 and
# 3840x2160, with x264's veryfast preset and the default medium; median of
# RUNS runs (interleaved), with the medians of the --timings breakdown: the
# render thread's time rendering (build + draw + read-back) against its time
# waiting on ffmpeg, ffmpeg's time after the last frame, and the CPU time of
# headviz and ffmpeg together per frame (the work, whatever the load).
# Then ffmpeg alone on the same frames (recorded from the pipe, read back
# from a file, the same arguments): the encoder's own pace, the ceiling.
# Builds nothing. Prints the machine's load: timings on a shared machine
# vary, compare figures of one run of this script only.
#
# usage: bench/bench_video.sh HEADVIZ [BASELINE_HEADVIZ]
#   BASELINE_HEADVIZ: another build (e.g. before a change) run the same way
#   (medium only when it has no --preset)
#   RUNS=3 SIZES="1920x1080 3840x2160" PRESETS="veryfast medium" FRAMES=120
set -euo pipefail
HV=${1:?usage: bench/bench_video.sh HEADVIZ [BASELINE_HEADVIZ]}
BASE=${2:-}
RUNS=${RUNS:-3}
SIZES=${SIZES:-1920x1080 3840x2160}
PRESETS=${PRESETS:-veryfast medium}
FRAMES=${FRAMES:-120}
command -v ffmpeg >/dev/null || { echo "bench_video: needs ffmpeg" >&2; exit 2; }
REAL=$(command -v ffmpeg)
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MORPH=(--layout morph --match rank --hold 0 --transition 1 --frames "$FRAMES")

BASE_PRESET=0
[ -n "$BASE" ] && [[ $("$BASE" --help) == *--preset* ]] && BASE_PRESET=1
load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# field NAME: the number after NAME in a --timings line
field() { sed -n "s/.*  $1 \([0-9.]*\).*/\1/p"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(ffmpeg -version | head -n1 | cut -d' ' -f1-3)"
echo "load average at start: $(load)"
echo "the morph's distinct frames: ${MORPH[*]} (each rendered, none held), median of $RUNS runs"

# CPU time of headviz and ffmpeg together (user + system), when GNU time is there
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -f "%U %S" -o "$T/cpu")

# run_one BIN SIZE PRESET KEY: one export; appends "fps build draw readback wait tail cpu" to $T/r_KEY
run_one() {
  local bin=$1 size=$2 preset=$3 key=$4
  local pa=()
  [ "$preset" != default ] && pa=(--preset "$preset")
  echo "? ?" >"$T/cpu"
  "${TIME[@]}" "$bin" "${MORPH[@]}" --size "$size" --video "$T/v.mp4" --force --timings "${pa[@]}" >"$T/out" 2>"$T/err"
  local cpu
  cpu=$(awk -v n="$FRAMES" '$1 != "?" { printf "%.1f", ($1 + $2) * 1000 / n; exit } { print "?" }' "$T/cpu")
  local fps rt
  fps=$(sed -n 's/.*: \([0-9.]*\) frames\/s$/\1/p' "$T/out")
  rt=$(grep 'render thread' "$T/err")
  local b d r w tail
  b=$(field build <<<"$rt"); d=$(field draw <<<"$rt"); r=$(field read-back <<<"$rt")
  w=$(sed -n 's/.*waiting on ffmpeg \([0-9.]*\).*/\1/p' <<<"$rt")
  tail=$(sed -n 's/.*ffmpeg after the last frame: \([0-9.]*\) s.*/\1/p' "$T/err")
  echo "$fps ${b:-0} ${d:-0} ${r:-0} ${w:-0} ${tail:-?} $cpu" >>"$T/r_$key"
}

# report KEY LABEL: the medians of the runs of KEY
report() {
  local f=$T/r_$1 col
  local m=()
  for col in 1 2 3 4 5 6 7; do m+=("$(awk -v c=$col '{ print $c }' "$f" | median)"); done
  local runs
  runs=$(awk '{ printf "%s%s", sep, $1; sep = " " }' "$f")
  printf '  %-22s %6.1f frames/s  (runs: %s)\n' "$2" "${m[0]}" "$runs"
  awk -v b="${m[1]}" -v d="${m[2]}" -v r="${m[3]}" -v w="${m[4]}" -v t="${m[5]}" -v c="${m[6]}" -v fps="${m[0]}" 'BEGIN {
    el = 1000 / fps; ren = b + d + r
    printf "  %22s elapsed %.2f ms/frame; render thread: rendering %.2f (build %.2f, draw %.2f, read-back %.2f), waiting on ffmpeg %.2f; ffmpeg after the last frame %s s; CPU of headviz + ffmpeg %s ms/frame\n", "", el, ren, b, d, r, w, t, c
  }'
}

for size in $SIZES; do
  echo
  echo "== $size, $FRAMES frames (load $(load))"
  rm -f "$T"/r_*
  for run in $(seq "$RUNS"); do
    for preset in $PRESETS; do
      p=$preset
      [ "$preset" = medium ] && p=default # medium is the default: no option
      run_one "$HV" "$size" "$p" "new_$preset"
      if [ -n "$BASE" ] && { [ "$preset" = medium ] || [ "$BASE_PRESET" = 1 ]; }; then
        run_one "$BASE" "$size" "$p" "base_$preset"
      fi
    done
  done
  for preset in $PRESETS; do
    report "new_$preset" "$preset"
    [ -f "$T/r_base_$preset" ] && report "base_$preset" "$preset (baseline)"
  done
  # ffmpeg alone: the frames recorded from the pipe, read back from a file
  # (page cache), with headviz's own arguments
  mkdir -p "$T/rec"
  printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/args"\ntee "%s/raw" | "%s" "$@"\n' "$T" "$T" "$REAL" >"$T/rec/ffmpeg"
  chmod +x "$T/rec/ffmpeg"
  for preset in $PRESETS; do
    PATH="$T/rec:$PATH" "$HV" "${MORPH[@]}" --size "$size" --video "$T/rec.mp4" --force --preset "$preset" >/dev/null
    mapfile -t args <"$T/args"
    n=${#args[@]}
    for k in "${!args[@]}"; do [ "${args[$k]}" = pipe:0 ] && args[$k]=$T/raw; done
    args[$((n - 1))]=$T/alone.mp4
    al=()
    for run in $(seq "$RUNS"); do
      s=$(date +%s.%N)
      "$REAL" "${args[@]}"
      al+=("$(awk -v s="$s" -v e="$(date +%s.%N)" -v n="$FRAMES" 'BEGIN { printf "%.1f", n / (e - s) }')")
    done
    printf '  %-22s %6.1f frames/s  (runs: %s): ffmpeg alone on the same frames from a file\n' "$preset" \
      "$(printf '%s\n' "${al[@]}" | median)" "${al[*]}"
    rm -f "$T/raw"
  done
done
echo
echo "load average at end: $(load)"
