#!/usr/bin/env bash
# --present under a bare X server (Xvfb, no window manager), as on a kiosk
# or a conference-room PC: the figure fills the 1920x1080 screen; S and R
# leave the audience's screen as it was (at most 0.2% of its pixels); "2
# Enter" then Home shows step 1 again, equal to the first screen. With the
# fullscreen refused (HEADVIZ_NO_SELF_FULLSCREEN=1: SDL's request goes
# unanswered), the figure fills the window it has, centred on black.
# Screenshots are the X server's (xwd), compared with a tolerance.
# usage: present_xvfb_test.sh HEADVIZ PNGTOOL. Exit 77 (skip) without Xvfb,
# xdotool or xwd (Debian: xvfb, xdotool, x11-apps).
set -u
HV=$(realpath "$1")
PNG=$(realpath "$2")
for t in Xvfb xdotool xwd; do
  if ! command -v "$t" >/dev/null; then
    echo "skip: $t not installed (apt-get install xvfb xdotool x11-apps, or scripts/setup.sh)"
    exit 77
  fi
done
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
dir=$(mktemp -d)
XPID= HPID=
cleanup() {
  [ -n "$HPID" ] && kill "$HPID" 2>/dev/null
  [ -n "$XPID" ] && kill "$XPID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir"
unset SDL_VIDEODRIVER WAYLAND_DISPLAY
export SDL_VIDEODRIVER=x11

# a free display, chosen by Xvfb itself (-displayfd: no race with other
# servers starting beside it); -br: a black root window (what shows around
# a window)
Xvfb -displayfd 3 -screen 0 1920x1080x24 -br -nolisten tcp 3>display.txt >xvfb.log 2>&1 &
XPID=$!
for _ in $(seq 100); do [ -s display.txt ] && break; sleep 0.1; done
D=$(head -1 display.txt 2>/dev/null)
[ -n "$D" ] || { echo "FAIL: Xvfb did not start"; cat xvfb.log; exit 1; }
export DISPLAY=":$D"
for _ in $(seq 100); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
xdotool getdisplaygeometry >/dev/null 2>&1 || { echo "FAIL: Xvfb :$D does not answer"; cat xvfb.log; exit 1; }

shot() { xwd -root -silent >"$1.xwd" && "$PNG" xwd "$1.xwd" "$1.png" && rm -f "$1.xwd"; }
# the screen once it stops changing (two shots 0.3 s apart the same)
settled() {
  shot "$1"
  for _ in $(seq 40); do
    sleep 0.3
    shot "$1.next"
    if "$PNG" same "$1.png" "$1.next.png" 2>/dev/null; then rm -f "$1.next.png"; return 0; fi
    mv "$1.next.png" "$1.png"
  done
  echo "note: $1 never settled"
}
# pixels differing by more than 40 in a channel: "N TOTAL"
ndiff() { "$PNG" diff "$1" "$2" 40 | cut -d' ' -f1; }
# the window of headviz: "W H X Y" once mapped
geometry() {
  local id
  for _ in $(seq 600); do # a minute: a sanitizer build on a loaded machine starts slowly
    id=$(xdotool search --onlyvisible --name '^headviz$' 2>/dev/null | head -1)
    [ -n "$id" ] && break
    sleep 0.1
  done
  [ -n "$id" ] || return 1
  xwininfo -id "$id" | awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF} /Width:/{w=$NF} /Height:/{h=$NF} END{print w, h, x, y}'
}
keys() { xdotool key --delay 60 "$@"; sleep 0.4; }
# until COMMAND... succeeds (at most 20 s: a loaded machine is slow, never wrong)
wait_for() {
  for _ in $(seq 100); do "$@" && return 0; sleep 0.2; done
  return 1
}
differs() { [ "$(ndiff "$1" "$2")" -ge 1000 ]; }
shot_differs() { shot "$1" && differs "$1.png" "$2"; }
shot_like() { shot "$1" && [ "$(ndiff "$1.png" "$2")" -le 2074 ]; }

# the references: the same figure drawn by the same GL renderer, headless
SDL_VIDEODRIVER=offscreen "$HV" --renderer gl --progress 0 --size 1920x1080 --screenshot ref1080.png >/dev/null ||
  fail "reference 1920x1080"
SDL_VIDEODRIVER=offscreen "$HV" --renderer gl --progress 0 --size 1600x900 --screenshot ref900.png >/dev/null ||
  fail "reference 1600x900"
bg=$("$PNG" px ref1080.png 0 0)

# quits with Q, and is stopped if Q did not reach it
quit() {
  keys q
  wait_for bash -c "! kill -0 $HPID 2>/dev/null" || kill "$HPID" 2>/dev/null
  wait "$HPID" 2>/dev/null
  HPID=
}

# ---- 1. fullscreen with no window manager to grant it -----------------------
# the pointer in a corner, on no marker (no tooltip); with no window manager
# the keyboard goes to the window under it
xdotool mousemove 2 2
"$HV" --present >out1.txt 2>err1.txt &
HPID=$!
g=$(geometry) || fail "no headviz window"
full() { g=$(geometry) && [ "$g" = "1920 1080 0 0" ]; }
wait_for full
[ "$g" = "1920 1080 0 0" ] || fail "--present: the window is '$g', not the whole 1920x1080 screen"
settled s1
for xy in "0 0" "1919 0" "0 1079" "1919 1079"; do
  px=$("$PNG" px s1.png $xy)
  [ "$px" = "$bg" ] || fail "--present: the screen's corner ($xy) is '$px', not the theme's background '$bg'"
done
d=$(ndiff ref1080.png s1.png)
[ "$d" -le 20736 ] || fail "--present: $d pixels differ from the figure laid out for 1920x1080 (at most 1%)"
# S: a screenshot is saved; the audience's screen stays as it was
keys s
wait_for grep -q "^headviz: saved headviz-" err1.txt || fail "S: the notice did not go to stderr"
settled s2
d=$("$PNG" diff s1.png s2.png 0 | cut -d' ' -f1)
[ "$d" -le 4147 ] || fail "S changed $d pixels of the screen (at most 0.2%: 4147)"
wait_for ls headviz-*.png >/dev/null 2>&1 || fail "S saved no PNG"
# R, R: recording starts and stops, off screen
keys r
wait_for grep -q "^headviz: recording to" err1.txt || fail "R: the notice did not go to stderr"
shot s3
d=$("$PNG" diff s1.png s3.png 0 | cut -d' ' -f1)
[ "$d" -le 4147 ] || fail "R changed $d pixels of the screen (at most 0.2%: 4147)"
sleep 0.5
keys r
wait_for grep -q "^headviz: recorded" err1.txt || fail "R, R: the notice did not go to stderr"
settled s4
d=$("$PNG" diff s1.png s4.png 0 | cut -d' ' -f1)
[ "$d" -le 4147 ] || fail "R, R changed $d pixels of the screen (at most 0.2%: 4147)"
# 2 Enter: step 2 (the second panel's points); the typed number only on stderr
keys 2
wait_for grep -q "^headviz: go to step 2 (Enter)" err1.txt || fail "the number typed did not go to stderr"
shot s5
d=$("$PNG" diff s1.png s5.png 0 | cut -d' ' -f1)
[ "$d" -le 4147 ] || fail "typing 2 changed $d pixels of the screen"
keys Return
wait_for shot_differs s6 s1.png || fail "2 Enter: step 2 never showed (the screen stayed step 1's)"
settled s6
keys Home
wait_for shot_like s7 s1.png
settled s7
d=$(ndiff s1.png s7.png)
[ "$d" -le 2074 ] || fail "2 Enter, Home: $d pixels differ from step 1's screen (at most 0.1%)"
quit
cp s1.png "${HV_XVFB_KEEP:-/nonexistent}/present_fill.png" 2>/dev/null
cp s6.png "${HV_XVFB_KEEP:-/nonexistent}/present_step2.png" 2>/dev/null

# ---- 2. fullscreen refused: the figure fills the window it has ---------------
xdotool mousemove 960 540 # inside the window it will have
HEADVIZ_NO_SELF_FULLSCREEN=1 "$HV" --present >out2.txt 2>err2.txt &
HPID=$!
g=$(geometry) || fail "no headviz window (refused case)"
sleep 1
read -r w h x y <<<"$(geometry)"
if [ "${w:-0}" -ge 1920 ] && [ "${h:-0}" -ge 1080 ]; then
  echo "note: the window filled the screen anyway; the refused case is not exercised"
else
  settled r1
  for xy in "$((x - 1)) $((y - 1))" "0 0" "1919 1079"; do
    px=$("$PNG" px r1.png $xy)
    [ "$px" = "0 0 0 255" ] || fail "refused: around the window ($xy) is '$px', not black"
  done
  for xy in "$x $y" "$((x + w - 1)) $((y + h - 1))"; do
    px=$("$PNG" px r1.png $xy)
    [ "$px" = "$bg" ] || fail "refused: the window's corner ($xy) is '$px', not the background '$bg'"
  done
  [ $((x * 2 + w)) -eq 1920 ] && [ $((y * 2 + h)) -eq 1080 ] || fail "refused: the window ${w}x${h} at $x,$y is not centred"
  if [ "$w $h" = "1600 900" ]; then
    d=$("$PNG" diffat r1.png ref900.png "$x" "$y" 40 | cut -d' ' -f1)
    [ "$d" -le 14400 ] || fail "refused: $d pixels of the window differ from the figure laid out for 1600x900 (at most 1%)"
  else
    fail "refused: the window is ${w}x${h}, expected the 1600x900 it was created with"
  fi
  cp r1.png "${HV_XVFB_KEEP:-/nonexistent}/present_refused.png" 2>/dev/null
fi
quit

if [ "$fails" -ne 0 ]; then
  echo "headviz's standard error:"
  sed 's/^/    /' err1.txt err2.txt 2>/dev/null | head -40
else
  echo "present under Xvfb: all passed"
fi
exit $((fails > 0))
