#!/usr/bin/env bash
# Frames drawn with every cache and partial update an export uses equal the
# same frames drawn from scratch: for each layout, an exported sequence
# (identical frames written from one encode, text textures and sorted points
# kept between frames, the encoder's reuse of unchanged data, the CPU
# raster's bands) against a fresh process drawing only that moment
# (--screenshot --progress P), byte for byte in the decoded pixels, at 20
# moments in every layout, with both renderers.
# usage: fresh_test.sh HEADVIZ PNGTOOL
set -u
HV=$1
PT=$2
. "$(dirname "$0")/../lib.sh"
# hold 0.5 s, transition 1 s, 16 frames/s: frame i is the moment t = i/16
# and every progress is a multiple of 1/16, exact in binary and in decimal;
# the moments lie in the first 2 s (progress 0..1: --progress does not
# reach the wrap back to the first condition)
TL=(--hold 0.5 --transition 1 --fps 16 --size 320x180 --match rank)
progress() { # frame -> progress (1.5 s steps: 0.5 s held, 1 s moving)
  awk -v i="$1" 'BEGIN { t = i / 16; k = int(t / 1.5); l = t - k * 1.5;
                         p = l <= 0.5 ? k : k + (l - 0.5); printf "%.10g", p }'
}
moments=(0 4 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 26 31)
for renderer in gl cpu; do
  for lay in side morph models heatmap diff; do
    d="$T/$renderer-$lay"
    "$HV" --export-frames "$d" --frames 32 --layout "$lay" --renderer $renderer "${TL[@]}" >/dev/null 2>"$T/err" ||
      { check "$renderer $lay: export" false; cat "$T/err"; continue; }
    same=0
    for i in "${moments[@]}"; do
      p=$(progress "$i")
      [ "$lay" = diff ] && p=0 # one step: every frame is the difference
      f=$(printf '%s/frame_%05d.png' "$d" "$i")
      "$HV" --screenshot "$T/still.png" --force --progress "$p" --layout "$lay" --renderer $renderer "${TL[@]}" \
        >/dev/null 2>"$T/err"
      if "$PT" same "$f" "$T/still.png" 2>/dev/null; then
        same=$((same + 1))
      else
        echo "   $renderer $lay: frame $i (progress $p) differs from the fresh still"
      fi
    done
    check "$renderer $lay: 20 exported frames == 20 fresh stills" [ $same -eq 20 ]
  done
done
finish
