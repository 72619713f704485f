#!/usr/bin/env bash
# scripts/demo.sh run from another folder, as a user would: a relative data
# path, the PNG written where it was started and named truthfully, and an
# explicit --screenshot reported as headviz wrote it.
#   demo_test.sh HEADVIZ
set -u
HV=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib.sh"
export HV_DEMO_BIN=$HV
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$T/work/data"
cp "$SRC/assets/safety_heads.csv" "$T/work/data/mine.csv"
cp "$SRC/assets/safety_heads.ini" "$T/work/data/mine.ini"
cd "$T/work"
# what an earlier demo left in the repository (the README's first command) is
# not this run's doing: compare before and after
before=$(ls "$SRC"/headviz-demo-*.png 2>/dev/null)
out=$(bash "$SRC/scripts/demo.sh" data/mine.csv --size 320x180 2>&1); rc=$?
png=$(ls "$T"/work/headviz-demo-*.png 2>/dev/null | head -1)
check "demo.sh from another folder with a relative data path: exit 0" [ $rc -eq 0 ]
check "the PNG is written in the folder it was started from" [ -n "$png" ] && [ -s "$png" ]
check "it names the file it wrote" [ "$out" = "no display: wrote the figure to $png" ]
check "nothing written into the repository" [ "$(ls "$SRC"/headviz-demo-*.png 2>/dev/null)" = "$before" ]
out=$(bash "$SRC/scripts/demo.sh" data/mine.csv --screenshot mine.png --size 320x180 2>&1); rc=$?
check "--screenshot mine.png: exit 0, reported as written" [ $rc -eq 0 -a "$out" = "mine.png (320x180)" ]
check "--screenshot mine.png: the file is there" [ -s "$T/work/mine.png" ]
out=$(bash "$SRC/scripts/demo.sh" data/missing.csv 2>&1); rc=$?
check "a missing relative data file: exit 2, named as given" [ $rc -eq 2 -a "$out" = "headviz: data/missing.csv: cannot open: No such file or directory" ]
finish
