#!/usr/bin/env bash
# The README's quick tour runs as written (issue 22): each command of the
# ```sh block under "## A quick tour", run in a fresh folder that sees the
# repository's docs/ and assets/ (as from the repository's folder) with the
# built headviz first on the PATH, exits 0 and writes what it names. The two
# window commands (a bare "headviz", "--present") run on a bare Xvfb for 3 s
# when it is installed (still running then = the window opened), and are
# checked with --screenshot added (their options parse) either way.
#   readme_tour.sh HEADVIZ SRC_DIR
set -u
HV=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
. "$(dirname "$0")/../lib.sh"
mkdir -p "$T/bin" "$T/run" && ln -s "$HV" "$T/bin/headviz" && ln -s "$SRC/docs" "$T/run/docs" &&
  ln -s "$SRC/assets" "$T/run/assets" || exit 1
export PATH=$T/bin:$PATH
unset DISPLAY WAYLAND_DISPLAY
export SDL_VIDEODRIVER=offscreen
# the block's commands, continuation lines joined, comments dropped
awk '/^## A quick tour/ {on = 1} on && /^```sh/ {blk = 1; next} blk && /^```/ {exit} blk' "$SRC/README.md" |
  sed 's/  *# .*$//' | awk '/\\$/ {sub(/\\$/, ""); l = l $0; next} {print l $0; l = ""}' >"$T/tour.sh"
n=$(grep -c '^headviz' "$T/tour.sh")
check "the tour has about ten commands ($n)" [ "$n" -ge 9 -a "$n" -le 14 ]
for want in ' --grid .*\.npy' ' --present' ' --video ' ' --size 3.5inx2.5in --context paper' ' --html ' \
  ' --layout heatmap' ' --table '; do
  check "the tour shows$want" grep -qE -- "^headviz.*$want" "$T/tour.sh"
done
cd "$T/run" || exit 1
# a bare X server for the window commands, on a free display Xvfb picks itself
xdisplay=""
if command -v Xvfb >/dev/null; then
  Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$T/display" >"$T/xvfb.log" 2>&1 &
  xpid=$!
  trap 'kill $xpid 2>/dev/null; wait $xpid 2>/dev/null; rm -rf "$T"' EXIT
  for _ in $(seq 50); do [ -s "$T/display" ] && break; sleep 0.1; done
  xdisplay=$(tr -dc '0-9' <"$T/display")
  [ -n "$xdisplay" ] || { echo "Xvfb did not start:"; cat "$T/xvfb.log"; }
fi
while IFS= read -r cmd; do
  case $cmd in
  headviz | *--present*)
    if [ -n "$xdisplay" ]; then
      DISPLAY=:$xdisplay SDL_VIDEODRIVER=x11 timeout 3 bash -c "$cmd" >/dev/null 2>&1
      same "$cmd: the window opens and stays open (Xvfb :$xdisplay, 3 s)" 124 "$?"
    fi
    out=$(bash -c "$cmd --screenshot window-$RANDOM.png" 2>&1)
    check "$cmd (with --screenshot): exit 0" [ $? -eq 0 ]
    ;;
  *)
    out=$(bash -c "$cmd" 2>&1); rc=$?
    check "$cmd: exit 0" [ $rc -eq 0 ]
    [ $rc -eq 0 ] || echo "    $out"
    # what it writes: the argument of --screenshot, --video, --html, --table, --export-frames
    f=$(grep -oE -- '--(screenshot|video|html|table|export-frames) [^ ]+' <<<"$cmd" | tail -1 | cut -d' ' -f2)
    check "$cmd: wrote $f" [ -s "$f" ]
    ;;
  esac
done < <(grep '^headviz' "$T/tour.sh")
finish
