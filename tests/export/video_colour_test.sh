#!/usr/bin/env bash
# Video colours as players show them: a viridis test pattern (a heatmap of
# 2 x 8 heads scored 0..1: 16 bands of one colormap colour each) exported at
# 1280x720 (HD, where players assume BT.709 for a file that names nothing)
# as .mp4, .webm and .mov (and .webm, .mov with --transparent), then
# - the files name their colours: primaries, transfer and matrix BT.709,
#   limited ("tv") range (ffprobe); a .webm with alpha BT.601's matrix
#   (SMPTE 170M), which Chromium draws right (its BT.709 alpha path puts
#   blue up to 10 levels off);
# - decoded by ffmpeg (which converts with the matrix the file names; exact
#   rounding), the
#   colour at the centre of every band is within 3 levels of the PNG still of
#   the same frame (pngtool bands);
# - played in headless Chromium (.mp4, .webm: a <video>, its presented frame
#   drawn into a canvas and read back; browser_video.js), the same;
# - the "assemble:" line printed after --export-frames, run as printed,
#   gives the same tags and colours.
# Before BT.709 (ffmpeg's default BT.601 matrix, no tags) Chromium showed the
# .webm 16 levels off and ffmpeg's BT.709 decode 18 levels off.
# Skipped (77) without ffmpeg; the Chromium cases are skipped, with a line
# saying so, without chromium or node.
# usage: video_colour_test.sh HEADVIZ PNGTOOL
set -u
HV=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: some cases run in $T
PT=$2
. "$(dirname "$0")/../lib.sh"
JS="$(dirname "$0")/browser_video.js"
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  echo "skip: ffmpeg/ffprobe not installed (apt-get install ffmpeg)"
  exit 77
fi
MAXERR=3
# ffmpeg's decode to RGB: the matrix and range the file names (scale's
# in_color_matrix/in_range "auto"), with exact rounding (its default
# rounding alone puts some bands 1-2 levels further off)
DECODE="scale=flags=accurate_rnd+full_chroma_int"
# 2 layers x 8 heads, scores 0, 1/15, ..., 1 (np.savetxt's form)
awk 'BEGIN { for (l = 0; l < 2; l++) { s = ""; for (h = 0; h < 8; h++) s = s sprintf("%s%.6f", h ? " " : "", (l * 8 + h) / 15); print s } }' >"$T/pattern.txt"
ARGS=(--grid Pattern Viridis "$T/pattern.txt" --layout heatmap --colormap viridis --size 1280x720 --renderer cpu)

# bands NAME REF DECODED: 16 bands, each within MAXERR levels
bands() {
  local out n e
  out=$("$PT" bands "$2" "$3" 2>&1)
  n=$(sed -n 's/^bands \([0-9]*\) max_err \([0-9]*\)$/\1/p' <<<"$out")
  e=$(sed -n 's/^bands \([0-9]*\) max_err \([0-9]*\)$/\2/p' <<<"$out")
  if [ "$n" = 16 ] && [ -n "$e" ] && [ "$e" -le $MAXERR ]; then
    ok "$1: 16 bands, largest error $e levels (<= $MAXERR)"
  else
    bad "$1: expected 16 bands within $MAXERR levels, got ${n:-?} bands, largest error ${e:-?}"
    sed 's/^/    /' <<<"$out" | head -n 20
  fi
}

"$HV" "${ARGS[@]}" --screenshot "$T/ref.png" >/dev/null 2>&1
"$HV" "${ARGS[@]}" --transparent --screenshot "$T/ref_t.png" >/dev/null 2>&1
check "the PNG stills are written" [ -s "$T/ref.png" -a -s "$T/ref_t.png" ]

# name EXT [--transparent]
CASES=("opaque mp4" "opaque webm" "opaque mov" "transparent webm" "transparent mov")
for c in "${CASES[@]}"; do
  set -- $c
  kind=$1 ext=$2 name="$1.$2"
  ref="$T/ref.png" extra=()
  [ "$kind" = transparent ] && ref="$T/ref_t.png" extra=(--transparent)
  "$HV" "${ARGS[@]}" "${extra[@]}" --fps 12 --frames 12 --video "$T/$name" >/dev/null 2>"$T/err"; rc=$?
  check "$name: exit 0, nothing on stderr" [ $rc -eq 0 -a ! -s "$T/err" ]
  tags="tv,bt709,bt709,bt709"
  [ "$name" = transparent.webm ] && tags="tv,smpte170m,bt709,bt709"
  same "$name: tagged primaries, transfer and matrix, limited range: $tags" "$tags" \
    "$(ffprobe -v error -select_streams v:0 -show_entries stream=color_range,color_space,color_transfer,color_primaries -of csv=p=0 "$T/$name")"
  dec=()
  # ffmpeg's own VP9 decoder drops alpha; libvpx keeps it
  [ "$ext" = webm ] && [ "$kind" = transparent ] && dec=(-c:v libvpx-vp9)
  ffmpeg -v error -y "${dec[@]}" -i "$T/$name" -frames:v 1 -vf "$DECODE" "$T/ffmpeg_$name.png"
  bands "$name decoded by ffmpeg" "$ref" "$T/ffmpeg_$name.png"
done
# the "assemble:" line printed after --export-frames, pasted into a shell in
# the folder headviz ran in: the same conversion and tags as --video
out=$(cd "$T" && "$HV" "${ARGS[@]}" --fps 12 --frames 12 --export-frames frames 2>&1)
line=$(sed -n 's/^assemble: //p' <<<"$out")
check "--export-frames prints an assemble line" [ -n "$line" ]
(cd "$T" && eval "$line -v error") 2>"$T/err"
check "the assemble line runs (exit 0, nothing on stderr)" [ -s "$T/out.mp4" -a ! -s "$T/err" ]
same "the assembled out.mp4: tagged BT.709, limited range" "tv,bt709,bt709,bt709" \
  "$(ffprobe -v error -select_streams v:0 -show_entries stream=color_range,color_space,color_transfer,color_primaries -of csv=p=0 "$T/out.mp4")"
ffmpeg -v error -y -i "$T/out.mp4" -frames:v 1 -vf "$DECODE" "$T/ffmpeg_assembled.png"
bands "the assembled out.mp4 decoded by ffmpeg" "$T/ref.png" "$T/ffmpeg_assembled.png"

# the H.264 stream itself says BT.709 (VUI), not only the mp4 box
ffmpeg -v trace -y -i "$T/opaque.mp4" -c copy -bsf:v trace_headers -f null - 2>&1 |
  grep -o -E "(video_full_range_flag|colour_primaries|transfer_characteristics|matrix_coefficients) .* = [0-9]+$" |
  sed 's/ .* = / = /' | sort -u >"$T/vui"
same "opaque.mp4: the H.264 VUI names BT.709, limited range" "colour_primaries = 1
matrix_coefficients = 1
transfer_characteristics = 1
video_full_range_flag = 0" "$(cat "$T/vui")"

CHROMIUM=${CHROMIUM:-chromium}
if ! command -v node >/dev/null; then
  echo "skip Chromium cases: node is not installed (apt-get install nodejs)"
elif ! command -v "$CHROMIUM" >/dev/null; then
  echo "skip Chromium cases: $CHROMIUM is not installed (apt-get install chromium; scripts/setup.sh installs it)"
else
  for c in "opaque mp4" "opaque webm" "transparent webm"; do
    set -- $c
    name="$1.$2" ref="$T/ref.png"
    [ "$1" = transparent ] && ref="$T/ref_t.png"
    if CHROMIUM=$CHROMIUM timeout 120 node "$JS" "$T/$name" "$T/chromium_$name.png" >"$T/chr_out" 2>"$T/chr_err"; then
      check "$name in Chromium: loaded and played (a frame decoded: readyState >= 2, 1280x720)" grep -qE "^readyState [234] 1280x720 " "$T/chr_out"
      bands "$name played in Chromium" "$ref" "$T/chromium_$name.png"
    elif [ $? -eq 2 ]; then
      echo "skip Chromium cases: Chromium cannot run here: $(cat "$T/chr_err")"
      break
    else
      bad "$name in Chromium: $(cat "$T/chr_err")"
    fi
  done
fi
finish
