#!/usr/bin/env bash
# Video export tests (--video through ffmpeg, the writer thread, --preset):
# - --preset reaches ffmpeg (a fake `ffmpeg` first on PATH records its
#   arguments, then runs the real one), and the file is a valid H.264 .mp4
#   of the right frame count and size;
# - frames go down the pipe as RGB (rgb24) without --transparent, RGBA with
#   it: the raw stream (recorded by a fake ffmpeg) is byte-identical to the
#   --export-frames PNGs of the same run, held frames included, and a decoded
#   frame is close to the --screenshot of the same moment;
# - --transparent .mov and .webm still carry alpha;
# - the writer thread keeps the failure behaviours: ffmpeg dying partway
#   (its exit status, its message, a kill -9), ffmpeg quitting early with
#   status 0, a Ctrl-C while ffmpeg takes no frames: exit code and message
#   as documented, nothing under the final name, no temporary left.
# Asserts on outputs only, never on times. Skipped without ffmpeg/ffprobe.
# usage: video_test.sh HEADVIZ PNGTOOL
set -u
HV=$1
PT=$2
. "$(dirname "$0")/../lib.sh"
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  echo "skip video cases: ffmpeg/ffprobe not installed"
  exit 0
fi
REAL=$(command -v ffmpeg)
probe() { ffprobe -v error -count_frames -select_streams v:0 -show_entries stream="$2" -of csv=p=0 "$1"; }
# nothing under the name and no temporary beside it
gone() { [ ! -e "$1" ] && [ -z "$(find "$(dirname "$1")" -maxdepth 1 -name ".$(basename "$1").headviz-*")" ]; }

# fake ffmpegs, each in its own folder put first on PATH
fake() { # fake NAME BODY: $T/NAME/ffmpeg runs BODY (sh), $REAL is the real one
  mkdir -p "$T/$1"
  printf '#!/bin/sh\nREAL=%s\n%s\n' "'$REAL'" "$2" >"$T/$1/ffmpeg"
  chmod +x "$T/$1/ffmpeg"
}
fake record 'printf "%s\n" "$@" >"$HV_ARGS"; exec "$REAL" "$@"'
fake tee 'tee "$HV_RAW" | "$REAL" "$@"'
fake dies 'head -c 2000000 >/dev/null; echo "fake ffmpeg: gave up after 2 MB" >&2; exit 1'
fake quits 'head -c 1000 >/dev/null; exit 0'
fake stalls 'exec sleep 300'
# after FILE OPT: the value after OPT's first occurrence in a recorded argument list
after() { grep -m1 -A1 -x -e "$2" "$1" | sed -n 2p; }

# --- --preset reaches x264; the .mp4 is whole ------------------------------------------------
# the distinct frames of the morph (no hold): 120 frames, each rendered
HV_ARGS="$T/args_vf" PATH="$T/record:$PATH" "$HV" --layout morph --match rank --hold 0 --transition 1 --frames 120 \
  --size 640x360 --video "$T/vf.mp4" --preset veryfast >"$T/out" 2>"$T/err"; rc=$?
check "--preset veryfast: exit 0, nothing on stderr" [ $rc -eq 0 -a ! -s "$T/err" ]
check "--preset veryfast: summary line" grep -q "^wrote $T/vf.mp4 (120 frames, 640x360, 60 fps) in" "$T/out"
check "--preset veryfast: h264 640x360 yuv420p, 120 frames" [ "$(probe "$T/vf.mp4" codec_name,width,height,pix_fmt,nb_read_frames)" = "h264,640,360,yuv420p,120" ]
check "--preset veryfast: ffmpeg is run with -preset veryfast -crf 18" [ "$(after "$T/args_vf" -preset)" = veryfast -a "$(after "$T/args_vf" -crf)" = 18 ]
# x264 writes its settings into the stream: veryfast searches with subme=2, medium with subme=7
check "--preset veryfast: x264 encoded with veryfast's settings (subme=2)" [ "$(grep -a -o -m1 'subme=[0-9]*' "$T/vf.mp4" | head -n1)" = subme=2 ]
HV_ARGS="$T/args_def" PATH="$T/record:$PATH" "$HV" --video "$T/def.mp4" --frames 3 --size 160x90 >/dev/null 2>&1
check "no --preset: medium, crf 18" [ "$(after "$T/args_def" -preset)" = medium -a "$(after "$T/args_def" -crf)" = 18 ]
check "no --preset: x264 encoded with medium's settings (subme=7)" [ "$(grep -a -o -m1 'subme=[0-9]*' "$T/def.mp4" | head -n1)" = subme=7 ]
check "no --transparent: frames piped as rgb24" [ "$(after "$T/args_def" -pix_fmt)" = rgb24 ]
HV_ARGS="$T/args_mov" PATH="$T/record:$PATH" "$HV" --video "$T/a.mov" --frames 3 --size 160x90 --transparent >/dev/null 2>&1
check "--transparent: frames piped as rgba" [ "$(after "$T/args_mov" -pix_fmt)" = rgba ]
HV_ARGS="$T/args_up" PATH="$T/record:$PATH" "$HV" --video "$T/UP.MP4" --frames 2 --size 96x64 --preset=ultrafast >/dev/null 2>&1; rc=$?
check "--preset=ultrafast with an upper-case .MP4: exit 0, reaches ffmpeg" [ $rc -eq 0 -a "$(after "$T/args_up" -preset)" = ultrafast ]
# the preset changes the encode, not the frames: same count and size
"$HV" --layout morph --match rank --hold 0 --transition 1 --frames 30 --size 320x180 --video "$T/slow.mp4" --preset slow >/dev/null 2>&1
check "--preset slow: 30 frames, 320x180" [ "$(probe "$T/slow.mp4" width,height,nb_read_frames)" = "320,180,30" ]

# --- the pipe carries exactly the rendered frames (RGB) -----------------------------------------
# hold 0.5 s, transition 1 s at 10 fps: frames 0-4 and 15-19 are held
# (queued again, not rendered), the others are transitions
args=(--layout morph --match rank --hold 0.5 --transition 1 --fps 10 --frames 30 --size 320x180)
HV_RAW="$T/raw.rgb" PATH="$T/tee:$PATH" "$HV" "${args[@]}" --video "$T/raw.mp4" >/dev/null 2>&1; rc=$?
"$HV" "${args[@]}" --export-frames "$T/frames" >/dev/null 2>&1
for f in "$T"/frames/frame_*.png; do "$PT" rgb "$f"; done >"$T/expected.rgb"
check "raw stream: exit 0, 30 frames of 320x180x3 bytes" [ $rc -eq 0 -a "$(stat -c %s "$T/raw.rgb")" -eq $((30 * 320 * 180 * 3)) ]
check "raw stream == the --export-frames PNGs, byte for byte (held frames included)" cmp -s "$T/raw.rgb" "$T/expected.rgb"
# decoded H.264 vs the still of the same moment: within the codec's loss
"$HV" --video "$T/first.mp4" --layout morph --match rank --hold 0 --transition 1 --fps 10 --frames 10 --size 640x360 >/dev/null 2>&1
"$HV" --screenshot "$T/first_still.png" --progress 0 --layout morph --match rank --hold 0 --transition 1 --size 640x360 >/dev/null 2>&1
"$HV" --screenshot "$T/mid_still.png" --progress 0.5 --layout morph --match rank --hold 0 --transition 1 --size 640x360 >/dev/null 2>&1
ffmpeg -v error -i "$T/first.mp4" -frames:v 1 "$T/first_dec.png"
ffmpeg -v error -i "$T/first.mp4" -vf "select=eq(n\,5)" -frames:v 1 "$T/mid_dec.png"
mad0=$("$PT" mad "$T/first_dec.png" "$T/first_still.png")
mad5=$("$PT" mad "$T/mid_dec.png" "$T/mid_still.png")
madx=$("$PT" mad "$T/first_dec.png" "$T/mid_still.png")
echo "     mean absolute difference, decoded vs still: frame 0 $mad0, frame 5 $mad5 (frame 0 vs the frame-5 still: $madx)"
check "decoded frame 0 == --progress 0 still within H.264's loss (mean |diff| < 1.5 of 255)" awk -v m="$mad0" 'BEGIN { exit !(m < 1.5) }'
check "decoded frame 5 == --progress 0.5 still within H.264's loss" awk -v m="$mad5" 'BEGIN { exit !(m < 1.5) }'
check "frames differ by more than that loss (the comparison can fail)" awk -v m="$madx" -v a="$mad0" 'BEGIN { exit !(m > 2 * a) }'

# --- alpha still reaches .mov and .webm -----------------------------------------------------------
for ext in mov webm; do
  "$HV" --video "$T/alpha.$ext" --frames 3 --size 320x180 --transparent --theme dark >/dev/null 2>&1; rc=$?
  dec=()
  [ $ext = webm ] && dec=(-c:v libvpx-vp9) # ffmpeg's own vp9 decoder drops the alpha
  ffmpeg -v error "${dec[@]}" -i "$T/alpha.$ext" -frames:v 1 -pix_fmt rgba "$T/alpha_$ext.png"
  check "--transparent .$ext: exit 0, background alpha 0 once decoded" [ $rc -eq 0 -a "$("$PT" px "$T/alpha_$ext.png" 1 1 | cut -d' ' -f4)" = 0 ]
  check "--transparent .$ext: opaque pixels where the figure is" [ "$("$PT" opaque "$T/alpha_$ext.png")" -gt 1000 ]
done
check "--transparent .webm: VP9 with alpha_mode 1" [ "$(ffprobe -v error -show_entries stream_tags=alpha_mode -of csv=p=0 "$T/alpha.webm")" = 1 ]

# --- failures with the writer thread ----------------------------------------------------------------
# ffmpeg dies partway through a long video: its exit status and last line
err=$(PATH="$T/dies:$PATH" "$HV" --layout morph --video "$T/die.mp4" --frames 600 --size 640x360 2>&1 >/dev/null); rc=$?
check "ffmpeg exits 1 partway: exit 1 + its message" [ $rc -eq 1 -a "$err" = "headviz: $T/die.mp4: ffmpeg failed with exit status 1: fake ffmpeg: gave up after 2 MB; no file written" ]
check "ffmpeg exits 1 partway: no file, no temporary" gone "$T/die.mp4"
# ffmpeg quits with status 0 without reading the frames: never a short file
err=$(PATH="$T/quits:$PATH" "$HV" --layout morph --video "$T/quit.webm" --frames 200 --size 320x180 2>&1 >/dev/null); rc=$?
check "ffmpeg quits early with status 0: exit 1 + message" [ $rc -eq 1 -a "$err" = "headviz: $T/quit.webm: ffmpeg stopped taking frames (Broken pipe); no file written" ]
check "ffmpeg quits early: no file, no temporary" gone "$T/quit.webm"
# the real ffmpeg killed in the middle of a long video
if command -v pgrep >/dev/null; then
  "$HV" --layout morph --video "$T/kill.mp4" --size 320x180 --duration 600 >/dev/null 2>"$T/kill.err" &
  pid=$!
  ff=
  for _ in $(seq 100); do ff=$(pgrep -P $pid -x ffmpeg) && [ -n "$(find "$T" -maxdepth 1 -name '.kill.mp4.headviz-*' -size +0)" ] && break; sleep 0.1; done
  [ -n "$ff" ] && kill -9 "$ff"
  wait $pid; rc=$?
  check "ffmpeg killed (-9) partway: exit 1 + message" [ -n "$ff" -a $rc -eq 1 ] && grep -qx "headviz: $T/kill.mp4: ffmpeg was killed by signal 9; no file written" "$T/kill.err"
  check "ffmpeg killed partway: no file, no temporary" gone "$T/kill.mp4"
else
  echo "skip the killed-ffmpeg case (no pgrep)"
fi
# Ctrl-C while ffmpeg takes no frames (the writer and the render thread both
# blocked on it): still exit 130 at once, nothing left; timeout 60 turns a
# hang into exit 124
PATH="$T/stalls:$PATH" timeout -k 5 60 "$HV" --layout morph --video "$T/stall.mp4" --size 320x180 --frames 600 >/dev/null 2>"$T/stall.err" &
pid=$!
sleep 2
kill -INT $pid
wait $pid; rc=$?
check "Ctrl-C while ffmpeg stalls: exit 130 + message" [ $rc -eq 130 ] && grep -qx "headviz: interrupted: no video written ($T/stall.mp4 left untouched)" "$T/stall.err"
check "Ctrl-C while ffmpeg stalls: no file, no temporary" gone "$T/stall.mp4"
# SIGTERM mid-video, with a real ffmpeg: the same
"$HV" --layout morph --video "$T/term.webm" --size 320x180 --duration 600 >/dev/null 2>"$T/term.err" &
pid=$!
for _ in $(seq 100); do [ -n "$(find "$T" -maxdepth 1 -name '.term.webm.headviz-*' -size +0)" ] && break; sleep 0.1; done
kill -TERM $pid
wait $pid; rc=$?
check "SIGTERM mid-video: exit 130 + message" [ $rc -eq 130 ] && grep -qx "headviz: interrupted: no video written ($T/term.webm left untouched)" "$T/term.err"
check "SIGTERM mid-video: no file, no temporary" gone "$T/term.webm"

finish
