#!/usr/bin/env bash
# Exports for slides: the default frame rate of .mov and alpha (30 unless
# --fps), the one line said before a long or large export, and its size
# estimate within a factor of 2 of the file (or frames) written, for mp4,
# webm, mov (422 HQ and 4444) and PNG frames. Never asserts on times.
# usage: estimate_test.sh HEADVIZ
set -u
HV=$1
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1

# the estimate line's size in bytes ("~12 MB for ...", "~35 kB for ...")
est_bytes() {
  sed -n 's/^headviz: ~\([0-9.]*\) \([kMG]\)B for .*/\1 \2/p' "$1" |
    awk '{m = $2 == "k" ? 1e3 : $2 == "M" ? 1e6 : 1e9; printf "%.0f\n", $1 * m}'
}
within2() { # within2 ESTIMATE ACTUAL
  [ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt 0 ] && [ $(($1 * 2)) -ge "$2" ] && [ $(($2 * 2)) -ge "$1" ]
}

# --- the line, and the default frame rates -----------------------------------
"$HV" --video a.mov --estimate >out 2>err; rc=$?
check "--estimate: exit 0" [ $rc -eq 0 ]
check "--estimate: nothing written" [ ! -e a.mov ]
check ".mov: 30 fps by default, one pass (3.5 s = 105 frames)" grep -q "^headviz: ~[0-9.]* MB for 105 frames of ProRes 422 HQ at 1920x1080 (3.5 s at 30 fps), about [0-9]* s to write$" err
"$HV" --video a.mov --transparent --fps 60 --estimate 2>err
check ".mov --fps 60: 60 fps" grep -q "for 210 frames of ProRes 4444 at 1920x1080 (3.5 s at 60 fps)" err
"$HV" --video a.webm --transparent --estimate 2>err
check "alpha: 30 fps by default" grep -q "for 105 frames of VP9 with alpha at 1920x1080 (3.5 s at 30 fps)" err
"$HV" --video a.mp4 --estimate 2>err
check ".mp4: 60 fps by default" grep -q "for 210 frames of H.264 at 1920x1080 (3.5 s at 60 fps)" err
"$HV" --video a.mp4 --loop-back --estimate 2>err
check "--loop-back: the way back too (5 s)" grep -q "for 300 frames of H.264 at 1920x1080 (5 s at 60 fps)" err
"$HV" --video a.mov --transparent --size 3840x2160 --estimate 2>err
b=$(est_bytes err)
check "ProRes 4444 at 3840x2160: said in hundreds of MB" [ -n "$b" ] && [ "$b" -ge 100000000 ]
# a small export says nothing
"$HV" --export-frames small --size 160x90 --fps 4 >/dev/null 2>err
check "a small export: no estimate line" [ ! -s err ]

# --- the estimate against what is written -------------------------------------
"$HV" --export-frames fr --size 640x360 --fps 30 --estimate 2>err
e=$(est_bytes err)
"$HV" --export-frames fr --size 640x360 --fps 30 >/dev/null 2>&1
got=$(cat fr/frame_*.png | wc -c)
check "PNG frames: estimate ${e:-?} within a factor of 2 of $got bytes" within2 "$e" "$got"

if command -v ffmpeg >/dev/null; then
  for v in a.mp4 a.webm a.mov "b.mov --transparent"; do
    set -- $v
    "$HV" --video "$@" --size 640x360 --estimate 2>err
    e=$(est_bytes err)
    "$HV" --video "$@" --size 640x360 >/dev/null 2>&1
    got=$(wc -c <"$1" 2>/dev/null || echo 0)
    check "$v: estimate ${e:-?} within a factor of 2 of $got bytes" within2 "$e" "$got"
  done
else
  echo "skip the video estimates: ffmpeg not installed"
fi
finish
