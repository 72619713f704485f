#!/usr/bin/env bash
# The README's two commands, in its order, on a fresh clone (issue 22):
# `bash scripts/demo.sh` with no display writes headviz-demo-*.png into the
# clone's folder, and the tests that follow are not affected by it. Cheap
# enough for every CI run: the repository is cloned (its committed HEAD) into
# a temporary folder, the demo runs there with the built headviz
# (HV_DEMO_BIN: no set-up, no build), then the clone's own cli_demo test
# (tests/cli/demo_test.sh) and README checks run in it; git status in the
# clone shows nothing new (the demo's picture is ignored).
# Skipped (77) when the source is not a git checkout.
#   fresh_clone_test.sh HEADVIZ SRC_DIR
set -u
HV=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
. "$(dirname "$0")/../lib.sh"
git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1 || { echo "skip: $SRC is not a git checkout"; exit 77; }
unset DISPLAY WAYLAND_DISPLAY
git clone -q "$SRC" "$T/clone" 2>&1
check "git clone of the repository" [ -f "$T/clone/scripts/demo.sh" ]
cd "$T/clone" || exit 1
out=$(HV_DEMO_BIN=$HV bash scripts/demo.sh --size 320x180 2>&1); rc=$?
png=$(ls "$T"/clone/headviz-demo-*.png 2>/dev/null | head -1)
check "the README's first command in the clone: exit 0" [ $rc -eq 0 ]
check "... it wrote headviz-demo-*.png in the clone's folder" [ -n "$png" ] && [ -s "$png" ]
same "... and said so" "no display: wrote the figure to $png" "$out"
same "git status in the clone: nothing new (the picture is ignored)" "" "$(git status --porcelain)"
# the tests that read the repository, run from the clone, with the picture there
out=$(bash tests/cli/demo_test.sh "$HV" 2>&1); rc=$?
check "then the clone's cli_demo test passes" [ $rc -eq 0 ]
[ $rc -eq 0 ] || printf '%s\n' "$out" | sed 's/^/    /'
out=$(bash tests/install/docs_links.sh "$T/clone" 2>&1); rc=$?
check "... and its README and docs link check" [ $rc -eq 0 ]
[ $rc -eq 0 ] || printf '%s\n' "$out" | grep FAIL -A6 | sed 's/^/    /'
check "the demo's picture is still there, untouched" [ -s "$png" ]
finish
