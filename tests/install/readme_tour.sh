#!/usr/bin/env bash
# The README's quick tour runs as written (issue 22): each command of the
# ```sh block under "## A quick tour", run in a fresh folder that sees the
# repository's docs/ and assets/ (as from the repository's folder) with the
# built headviz first on the PATH, exits 0 and writes what it names. The two
# window commands (a bare "headviz", "--present") run under xvfb-run for 3 s
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
while IFS= read -r cmd; do
  case $cmd in
  headviz | *--present*)
    if command -v xvfb-run >/dev/null; then
      timeout 20 xvfb-run -a bash -c "timeout 3 $cmd >/dev/null 2>&1; echo \$?" >"$T/rc" 2>/dev/null
      same "$cmd: the window opens and stays open (xvfb)" 124 "$(cat "$T/rc")"
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
