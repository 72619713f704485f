#!/bin/sh
# The last test of the ThreadSanitizer configuration: every process of the
# suite (test binaries, and each headviz a script ran, whether or not the
# script looked at its exit code) writes its TSan reports to DIR/report.PID;
# any such file fails the suite and is shown (then removed, so that the next
# run starts clean; ctest keeps this output in Testing/Temporary/LastTest.log).
# usage: tsan_reports.sh DIR
dir=$1
set -- "$dir"/report.*
if [ ! -e "$1" ]; then
  echo "no ThreadSanitizer report in $dir"
  exit 0
fi
echo "ThreadSanitizer reports ($# processes):"
for f in "$@"; do
  echo "=== $f"
  cat "$f"
  rm -f "$f"
done
exit 1
