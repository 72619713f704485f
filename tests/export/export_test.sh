#!/usr/bin/env bash
# Export tests: frame sequences (count, names, determinism, equality with the
# --progress still, transparency, never clobbering, atomic writes, Ctrl-C)
# and videos through ffmpeg (checked with ffprobe when ffmpeg is installed).
# usage: export_test.sh HEADVIZ PNGTOOL
set -u
HV=$1
PT=$2
. "$(dirname "$0")/../lib.sh"
count() { find "$1" -maxdepth 1 -name 'frame_*.png' | wc -l; }

# --- frame count and names ---------------------------------------------------
out=$("$HV" --export-frames "$T/a" --fps 10 --duration 1 --size 320x180 2>"$T/err"); rc=$?
check "fps 10 x 1 s: exit 0" [ $rc -eq 0 ]
check "fps 10 x 1 s: 10 frames" [ "$(count "$T/a")" -eq 10 ]
check "names frame_00000..frame_00009" [ -f "$T/a/frame_00000.png" -a -f "$T/a/frame_00009.png" -a ! -e "$T/a/frame_00010.png" ]
check "summary line" grep -q "^wrote 10 frames (320x180, 10 fps, 1.000 s of timeline) to $T/a in" <<<"$out"
check "prints the ffmpeg line (BT.709 conversion and tags, as --video)" grep -qxF "assemble: ffmpeg -framerate 10 -i $T/a/frame_%05d.png -vf scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd+full_chroma_int,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv -c:v libx264 -crf 18 -movflags +faststart out.mp4" <<<"$out"
check "no progress line when stderr is not a terminal" [ ! -s "$T/err" ]
check "frames are 320x180 RGB" [ "$("$PT" info "$T/a/frame_00003.png")" = "320 180 3" ]
"$HV" --export-frames "$T/b" --frames 7 --size 160x90 >/dev/null 2>&1
check "--frames 7: 7 frames" [ "$(count "$T/b")" -eq 7 ]
# default duration: one full cycle (2 states x (1 s hold + 1.5 s transition) = 5 s)
"$HV" --export-frames "$T/c" --fps 4 --size 160x90 >/dev/null 2>&1
check "default: one pass = 1 + 1.5 + 1 s = 14 frames at 4 fps" [ "$(count "$T/c")" -eq 14 ]
"$HV" --export-frames "$T/c2" --fps 4 --size 160x90 --loop-back >/dev/null 2>&1
check "--loop-back: the way back too, one cycle = 5 s = 20 frames" [ "$(count "$T/c2")" -eq 20 ]
# a clip for a slide ends on the last condition: its last frame is the still
# of the last condition (the same renderer draws both)
"$HV" --export-frames "$T/c3" --fps 10 --size 320x180 --layout morph --renderer cpu >/dev/null 2>&1
"$HV" --screenshot "$T/last.png" --progress 1 --size 320x180 --layout morph --renderer cpu >/dev/null 2>&1
check "default: 35 frames at 10 fps" [ "$(count "$T/c3")" -eq 35 ]
check "default: the last frame is the last condition" "$PT" same "$T/c3/frame_00034.png" "$T/last.png"
"$HV" --screenshot "$T/first.png" --progress 0 --size 320x180 --layout morph --renderer cpu >/dev/null 2>&1
check "default: the last frame is not the first condition" bash -c "! '$PT' same '$T/c3/frame_00034.png' '$T/first.png' 2>/dev/null"

# --- the same frames on every run ----------------------------------------------
"$HV" --export-frames "$T/d1" --fps 10 --duration 2.5 --size 320x180 --layout morph --match rank >/dev/null 2>&1
"$HV" --export-frames "$T/d2" --fps 10 --duration 2.5 --size 320x180 --layout morph --match rank --threads 1 >/dev/null 2>&1
same=1
for f in "$T"/d1/frame_*.png; do cmp -s "$f" "$T/d2/$(basename "$f")" || same=0; done
check "two runs (2 threads, 1 thread) give byte-identical frames" [ $same -eq 1 -a "$(count "$T/d1")" -eq 25 ]
# held frames are repeats of one encode: identical bytes
check "frames held on a state are identical" cmp -s "$T/d1/frame_00000.png" "$T/d1/frame_00009.png"
check "frames in a transition differ" bash -c "! cmp -s '$T/d1/frame_00012.png' '$T/d1/frame_00016.png'"

# --- frame k equals the --progress still at the same moment ---------------------
# hold 1 s + transition 2 s: frame 20 at 10 fps is t = 2 s = progress 0.5
"$HV" --export-frames "$T/e" --fps 10 --frames 21 --hold 1 --transition 2 --size 400x240 --layout morph --match rank --renderer gl >/dev/null 2>&1
# (the same renderer: auto draws a still on the CPU, frames with GL on a GPU)
"$HV" --screenshot "$T/e_still.png" --progress 0.5 --hold 1 --transition 2 --size 400x240 --layout morph --match rank --renderer gl >/dev/null 2>&1
check "frame 20 == --progress 0.5 still (--renderer gl)" "$PT" same "$T/e/frame_00020.png" "$T/e_still.png"
check "frame 19 != that still" bash -c "! '$PT' same '$T/e/frame_00019.png' '$T/e_still.png' 2>/dev/null"
"$HV" --export-frames "$T/ec" --fps 10 --frames 21 --hold 1 --transition 2 --size 400x240 --layout morph --match rank --renderer cpu >/dev/null 2>&1
"$HV" --screenshot "$T/ec_still.png" --progress 0.5 --hold 1 --transition 2 --size 400x240 --layout morph --match rank >/dev/null 2>&1
check "--renderer cpu: frame 20 == the default (CPU) still" "$PT" same "$T/ec/frame_00020.png" "$T/ec_still.png"
read -r d n < <("$PT" diff "$T/e/frame_00020.png" "$T/ec/frame_00020.png" 48)
check "GL and CPU frames of one moment: the same picture (at most 0.5% of pixels differ by > 48)" [ -n "$n" -a $((d * 200)) -le "${n:-0}" ]
for layout in side models; do
  "$HV" --export-frames "$T/e_$layout" --fps 10 --frames 16 --size 320x180 --layout $layout --easing back --renderer gl >/dev/null 2>&1
  "$HV" --screenshot "$T/e_$layout.png" --progress 0.3333333333333333 --size 320x180 --layout $layout --easing back --renderer gl >/dev/null 2>&1
  check "$layout: frame 15 (t=1.5 s) == --progress 1/3 still" "$PT" same "$T/e_$layout/frame_00015.png" "$T/e_$layout.png"
done

# --- transparency ---------------------------------------------------------------
"$HV" --export-frames "$T/f" --frames 2 --size 320x180 --transparent --theme dark >/dev/null 2>&1
check "--transparent: RGBA frames" [ "$("$PT" info "$T/f/frame_00000.png")" = "320 180 4" ]
check "--transparent: background alpha 0" [ "$("$PT" px "$T/f/frame_00000.png" 1 1 | cut -d' ' -f4)" = "0" ]
check "--transparent: opaque pixels where the figure is" [ "$("$PT" opaque "$T/f/frame_00000.png")" -gt 1000 ]

# --- never clobber ------------------------------------------------------------------
sum_before=$(cat "$T"/a/frame_*.png | md5sum)
err=$("$HV" --export-frames "$T/a" --fps 10 --duration 1 --size 320x180 2>&1 >/dev/null); rc=$?
check "existing frames: exit 2" [ $rc -eq 2 ]
check "existing frames: message" [ "$err" = "headviz: --export-frames $T/a: folder already holds 10 frame files (frame_00000.png...); use --force to overwrite them, or pick another folder" ]
check "existing frames: untouched" [ "$(cat "$T"/a/frame_*.png | md5sum)" = "$sum_before" ]
"$HV" --export-frames "$T/a" --fps 10 --duration 0.5 --size 320x180 --force >"$T/out" 2>&1; rc=$?
check "--force: exit 0" [ $rc -eq 0 ]
check "--force: stale frames of the longer export removed" [ "$(count "$T/a")" -eq 5 ]
check "--force: says so" grep -q "removed 5 stale frame files" "$T/out"
touch "$T/x.png"
err=$("$HV" --screenshot "$T/x.png" 2>&1); rc=$?
check "existing screenshot: exit 2 + message" [ $rc -eq 2 -a "$err" = "headviz: $T/x.png: file exists; use --force to overwrite" ]
check "existing screenshot: still empty" [ ! -s "$T/x.png" ]

# --- bad places and sizes ---------------------------------------------------------------
err=$("$HV" --export-frames /etc/passwd/frames --frames 2 2>&1); rc=$?
check "folder under a file: exit 1 + message" [ $rc -eq 1 -a "$err" = "headviz: --export-frames /etc/passwd/frames: cannot create folder: Not a directory" ]
err=$("$HV" --export-frames "$T/x.png" --frames 2 2>&1); rc=$?
check "a file as the folder: exit 2" [ $rc -eq 2 -a "$err" = "headviz: --export-frames $T/x.png: exists and is not a folder" ]
err=$("$HV" --screenshot "$T/nope/x.png" 2>&1); rc=$?
check "screenshot into a missing folder: exit 2 + message" [ $rc -eq 2 -a "$err" = "headviz: $T/nope/x.png: folder \"$T/nope\" does not exist" ]
err=$("$HV" --video "$T/nope/v.mp4" --frames 2 2>&1); rc=$?
check "video into a missing folder: exit 2 + message" [ $rc -eq 2 -a "$err" = "headviz: $T/nope/v.mp4: folder \"$T/nope\" does not exist" ]
err=$("$HV" --screenshot /dev/full --size 64x64 2>&1); rc=$?
check "/dev/full: exit 1 + message" [ $rc -eq 1 -a "$err" = "headviz: /dev/full: write failed: No space left on device" ]
check "/dev/full is still a device" [ -c /dev/full ]
"$HV" --screenshot /dev/stdout --size 64x48 >"$T/redirected.png" 2>"$T/err"; rc=$?
check "--screenshot /dev/stdout > file: exit 0, a 64x48 PNG, no chatter" [ $rc -eq 0 -a "$("$PT" info "$T/redirected.png")" = "64 48 3" -a ! -s "$T/err" ]
err=$("$HV" --export-frames "$T/g" --size 0x100 2>&1); rc=$?
check "size 0: exit 2" [ $rc -eq 2 -a "$err" = "headviz: --size: 0x100 is out of range (each side 16..16384)" ]
err=$("$HV" --export-frames "$T/g" --size -5x100 2>&1); rc=$?
check "negative size: exit 2" [ $rc -eq 2 -a "$err" = "headviz: --size: expected WxH like 1920x1080 or 3.5inx2.5in (in, mm, cm, pt), or beamer (160x90 mm), beamer43 (128x96 mm), got \"-5x100\"" ]
err=$("$HV" --export-frames "$T/g" --fps 0 2>&1); rc=$?
check "fps 0: exit 2" [ $rc -eq 2 -a "$err" = "headviz: --fps: 0 is out of range (1..240)" ]
check "no frames folder left by refused runs" [ ! -e "$T/g" ]
# a full disk: a 1 MiB tmpfs, when this machine lets us mount one
mkdir -p "$T/small"
if mount -t tmpfs -o size=1m tmpfs "$T/small" 2>/dev/null; then
  err=$("$HV" --export-frames "$T/small/f" --frames 400 --size 640x360 2>&1); rc=$?
  check "full disk: exit 1" [ $rc -eq 1 ]
  check "full disk: says No space left" grep -q "No space left on device" <<<"$err"
  check "full disk: says how many were written" grep -q "frames were written to $T/small/f before the error" <<<"$err"
  tmpfiles=$(find "$T/small/f" -name '*.tmp' | wc -l)
  check "full disk: no temporary files left" [ "$tmpfiles" -eq 0 ]
  allok=1
  for f in "$T"/small/f/frame_*.png; do [ -e "$f" ] || continue; "$PT" info "$f" >/dev/null 2>&1 || allok=0; done
  check "full disk: every frame left is a whole PNG" [ $allok -eq 1 ]
  umount "$T/small"
else
  echo "skip full-disk case (cannot mount a tmpfs here)"
fi

# --- a failure partway leaves exactly frames 0..k-1 ---------------------------------------
# frame 3 is a symlink: with --force it is refused (never followed), and on
# every run frames 0, 1, 2 are complete and nothing after them is written
mkdir -p "$T/sym"
echo victim >"$T/victim"
nogap=1
for run in $(seq 20); do
  rm -f "$T"/sym/frame_*
  ln -s ../victim "$T/sym/frame_00003.png"
  err=$("$HV" --export-frames "$T/sym" --frames 6 --size 160x90 --layout morph --force 2>&1 >/dev/null); rc=$?
  got=$(cd "$T/sym" && ls -A | tr '\n' ' ')
  if [ $rc -ne 2 ] || [ "$got" != "frame_00000.png frame_00001.png frame_00002.png frame_00003.png " ] ||
     [ "$(sed -n 2p <<<"$err")" != "headviz: 3 of 6 frames were written to $T/sym before the error (frames 0..2, each one complete)" ]; then
    nogap=0
    echo "  run $run: rc=$rc, left: $got; $err"
  fi
done
check "symlinked frame 3 with --force, 20 runs: exactly frames 0..2 left, message says 3" [ $nogap -eq 1 ]
check "the symlink's target is untouched" [ "$(cat "$T/victim")" = victim ]
# a frames folder: temporaries of a killed export are removed by the next
sleep 100 &
live=$!
kill $live; wait $live 2>/dev/null
: >"$T/sym/.frame_00009.png.headviz-$live.tmp"
rm -f "$T/sym/frame_00003.png"
"$HV" --export-frames "$T/sym" --frames 2 --size 64x64 --force >/dev/null 2>&1
check "--export-frames removes a dead run's temporary frame" [ ! -e "$T/sym/.frame_00009.png.headviz-$live.tmp" ]

# --- Ctrl-C: stops cleanly, says how many, no truncated file -------------------------------
"$HV" --export-frames "$T/i" --frames 3000 --size 1280x720 --layout morph >"$T/i.out" 2>"$T/i.err" &
pid=$!
for _ in $(seq 50); do [ "$(count "$T/i" 2>/dev/null || echo 0)" -ge 5 ] && break; sleep 0.1; done
kill -INT $pid
wait $pid; rc=$?
check "Ctrl-C: exit 130" [ $rc -eq 130 ]
n=$(count "$T/i")
check "Ctrl-C: message with the count" grep -q "^headviz: interrupted: $n of 3000 frames written to $T/i (each one complete)$" "$T/i.err"
check "Ctrl-C: no temporary files" [ "$(find "$T/i" -name '*.tmp' | wc -l)" -eq 0 ]
allok=1
for f in "$T"/i/frame_*.png; do "$PT" info "$f" >/dev/null 2>&1 || allok=0; done
check "Ctrl-C: every frame written is a whole PNG ($n)" [ $allok -eq 1 -a "$n" -ge 5 -a "$n" -lt 3000 ]

# --- video ---------------------------------------------------------------------------------
err=$("$HV" --video "$T/v.avi" 2>&1); rc=$?
check "unknown video format: exit 2" [ $rc -eq 2 -a "$err" = "headviz: --video $T/v.avi: unknown format (use .mp4, .webm, .gif, .mov, or .pdf for one page per frame)" ]
err=$(PATH=/nonexistent "$HV" --video "$T/v.mp4" --frames 2 --size 64x64 2>&1); rc=$?
check "ffmpeg missing: exit 1 + message" [ $rc -eq 1 -a "$err" = "headviz: --video needs ffmpeg, which is not installed or not on PATH (Debian: apt-get install ffmpeg); --export-frames DIR writes PNG frames without it" ]
check "ffmpeg missing: nothing left behind" [ -z "$(ls -A "$T" | grep -E '^\.?v\.mp4')" ]
if command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; then
  probe() { ffprobe -v error -count_frames -select_streams v:0 -show_entries stream="$2" -of csv=p=0 "$1"; }
  name="$T/my clip 'quoted' ; rm -rf x.mp4"
  out=$("$HV" --video "$name" --fps 10 --duration 1.5 --size 320x240 2>"$T/v.err"); rc=$?
  check "mp4 with spaces, quotes and ; in its name: exit 0" [ $rc -eq 0 -a -f "$name" ]
  check "mp4: 15 frames, 320x240, 10 fps, h264 yuv420p" [ "$(probe "$name" codec_name,width,height,r_frame_rate,pix_fmt,nb_read_frames)" = "h264,320,240,yuv420p,10/1,15" ]
  check "mp4: summary line" grep -q "^wrote $name (15 frames, 320x240, 10 fps) in" <<<"$out"
  err=$("$HV" --video "$name" --frames 2 --size 64x64 2>&1); rc=$?
  check "existing video: exit 2 + message" [ $rc -eq 2 -a "$err" = "headviz: $name: file exists; use --force to overwrite" ]
  out=$("$HV" --video "$T/odd.mp4" --fps 10 --frames 3 --size 161x91 2>&1); rc=$?
  check "odd-size mp4: says the size it really wrote" [ $rc -eq 0 ] && grep -q "^wrote $T/odd.mp4 (3 frames, 162x92: 161x91 padded to even sides for H.264, 10 fps) in" <<<"$out"
  check "odd-size mp4: the file is 162x92" [ "$(probe "$T/odd.mp4" width,height)" = "162,92" ]
  "$HV" --video "$T/v.webm" --fps 10 --frames 6 --size 160x90 >/dev/null 2>&1
  check "webm: vp9, 6 frames" [ "$(probe "$T/v.webm" codec_name,nb_read_frames)" = "vp9,6" ]
  "$HV" --video "$T/v.gif" --fps 10 --frames 6 --size 160x90 >/dev/null 2>&1
  check "gif: 6 frames" [ "$(probe "$T/v.gif" codec_name,nb_read_frames)" = "gif,6" ]
  "$HV" --video "$T/v.mov" --fps 10 --frames 4 --size 160x90 --transparent >/dev/null 2>&1
  check "mov --transparent: ProRes 4444 with alpha" grep -q "^prores,yuva444p" <<<"$(probe "$T/v.mov" codec_name,pix_fmt)"
  # Ctrl-C during a video: exit 130, no file under either name
  "$HV" --layout morph --video "$T/int.mp4" --size 320x180 --duration 60 >/dev/null 2>"$T/int.err" &
  pid=$!
  sleep 1.5
  kill -INT $pid
  wait $pid; rc=$?
  check "video Ctrl-C: exit 130 + message" [ $rc -eq 130 ] && grep -qx "headviz: interrupted: no video written ($T/int.mp4 left untouched)" "$T/int.err"
  check "video Ctrl-C: no file, no temporary" [ ! -e "$T/int.mp4" -a -z "$(find "$T" -maxdepth 1 -name '.int.mp4*')" ]
  # into a FIFO: the reader gets the whole clip
  mkfifo "$T/fifo.webm"
  cat "$T/fifo.webm" >"$T/from_fifo.webm" &
  catpid=$!
  timeout 60 "$HV" --video "$T/fifo.webm" --fps 10 --frames 8 --size 96x64 >/dev/null 2>&1; rc=$?
  wait $catpid
  check "webm into a FIFO: exit 0, 8 frames arrive" [ $rc -eq 0 -a "$(probe "$T/from_fifo.webm" nb_read_frames)" = "8" ]
  err=$(timeout 60 "$HV" --video /dev/fd/1 --frames 2 --size 64x64 2>&1 >/dev/null); rc=$?
  check "video without a known extension: exit 2" [ $rc -eq 2 ]
  mkfifo "$T/fifo.mp4"
  err=$(timeout 60 "$HV" --video "$T/fifo.mp4" --frames 2 --size 64x64 2>&1); rc=$?
  check "mp4 into a pipe: refused, exit 2" [ $rc -eq 2 -a "$err" = "headviz: $T/fifo.mp4: .mp4 needs a seekable file, not a pipe or device; write .webm or .gif to a stream" ]
  err=$("$HV" --video "$T/alpha.mp4" --transparent 2>&1); rc=$?
  check "mp4 + --transparent: exit 2" [ $rc -eq 2 ]
  check "no temporary video files left" [ -z "$(find "$T" -maxdepth 1 -name '.*.tmp')" ]

  # a video is reported written only when it is whole: a full disk at close
  # time (ffmpeg says "Error closing file" and still exits 0) and a name
  # that links to /dev/full are failures, exit 1, nothing under the name
  ln -s /dev/full "$T/full.gif"
  err=$("$HV" --video "$T/full.gif" --frames 10 --size 160x90 2>&1); rc=$?
  check "video onto /dev/full: exit 1 + ffmpeg's reason" [ $rc -eq 1 -a "$err" = "headviz: $T/full.gif: ffmpeg failed: Error closing file $T/full.gif: No space left on device; no file written" ]
  mkdir -p "$T/tiny"
  if mount -t tmpfs -o size=300k tmpfs "$T/tiny" 2>/dev/null; then
    dd if=/dev/zero of="$T/tiny/fill" bs=1k count=280 2>/dev/null
    for ext in gif mp4 webm; do
      err=$("$HV" --layout morph --video "$T/tiny/x.$ext" --frames 120 --size 640x360 2>&1); rc=$?
      check "full disk, .$ext: exit 1, says no space" [ $rc -eq 1 ] && grep -q "No space left on device; no file written$" <<<"$err"
      check "full disk, .$ext: nothing under the name, no temporary" [ ! -e "$T/tiny/x.$ext" -a -z "$(find "$T/tiny" -name '*.tmp')" ]
    done
    umount "$T/tiny"
  else
    echo "skip full-disk video cases (cannot mount a tmpfs here)"
  fi

  # kill -9 leaves a temporary behind; the next run into the folder removes it
  mkdir -p "$T/k"
  "$HV" --layout morph --video "$T/k/v.webm" --size 320x180 --duration 600 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 100); do [ -n "$(find "$T/k" -name '.v.webm.headviz-*.tmp' -size +0)" ] && break; sleep 0.1; done
  kill -9 $pid
  wait $pid 2>/dev/null
  sleep 0.5 # ffmpeg, in its own process group, sees the end of its input and stops
  check "kill -9: a temporary is left (.v.webm.headviz-$pid.tmp)" [ -e "$T/k/.v.webm.headviz-$pid.tmp" ]
  "$HV" --video "$T/k/w.gif" --frames 2 --size 64x64 >/dev/null 2>&1
  check "the next video into the folder removes it" [ ! -e "$T/k/.v.webm.headviz-$pid.tmp" -a -f "$T/k/w.gif" ]
  sleep 100 &
  live=$!
  : >"$T/k/.other.png.headviz-$live.tmp"
  "$HV" --screenshot "$T/k/s.png" --size 64x64 >/dev/null 2>&1
  check "a live process's temporary is left alone" [ -e "$T/k/.other.png.headviz-$live.tmp" ]
  kill $live
  wait $live 2>/dev/null
  "$HV" --screenshot "$T/k/s2.png" --size 64x64 >/dev/null 2>&1
  check "a screenshot into the folder removes it once its process is gone" [ ! -e "$T/k/.other.png.headviz-$live.tmp" ]
else
  echo "skip video cases: ffmpeg/ffprobe not installed"
fi

finish
