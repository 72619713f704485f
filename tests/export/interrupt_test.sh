#!/usr/bin/env bash
# Ctrl-C (SIGINT) and SIGTERM during every kind of export agree: exit 130,
# one line on stderr "headviz: interrupted: ...", nothing under a final name
# that is not whole (a multi-page PDF or a video: no file at all, an
# existing one left as it was), no temporary left behind.
# usage: interrupt_test.sh HEADVIZ
set -u
HV=$1
. "$(dirname "$0")/../lib.sh"

# Waits (up to 30 s) until the path glob $1 matches a file, then sends
# signal $2 to pid $3 and waits for it; rc in $rc.
interrupt() {
  local glob=$1 sig=$2 pid=$3
  for _ in $(seq 300); do
    compgen -G "$glob" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.2
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
}
tmps() { find "$1" -name '*.tmp' | wc -l; }

M=(--layout morph --frames 100000)
# stderr less the one line a long video or PNG export starts with
# ("headviz: ~31 MB for 100000 frames of ..."; export_estimate tests it)
after_estimate() {
  if head -1 "$1" | grep -q '^headviz: ~.* frames of .* to write$'; then tail -n +2 "$1"; else cat "$1"; fi
}
for sig in INT TERM; do
  # --- one file: a multi-page PDF, a video -------------------------------------
  kinds=(pdf)
  command -v ffmpeg >/dev/null && kinds+=(mp4 webm)
  for ext in "${kinds[@]}"; do
    d="$T/$sig-$ext"
    mkdir -p "$d"
    "$HV" "${M[@]}" --size 1280x720 --video "$d/x.$ext" >"$d/out" 2>"$d/err" &
    interrupt "$d/.x.$ext.headviz-*.tmp" $sig $!
    what=$([ $ext = pdf ] && echo PDF || echo video)
    check "SIG$sig during --video x.$ext: exit 130" [ $rc -eq 130 ]
    same "SIG$sig during --video x.$ext: one line on stderr (after the estimate of a long export)" \
      "headviz: interrupted: no $what written ($d/x.$ext left untouched)" "$(after_estimate "$d/err")"
    check "SIG$sig during --video x.$ext: no file, no temporary" [ ! -e "$d/x.$ext" -a "$(tmps "$d")" -eq 0 ]
    # with --force over an existing file: the old file stays as it was
    echo old >"$d/y.$ext"
    "$HV" "${M[@]}" --size 1280x720 --video "$d/y.$ext" --force >"$d/out" 2>"$d/err" &
    interrupt "$d/.y.$ext.headviz-*.tmp" $sig $!
    check "SIG$sig during --video y.$ext --force: exit 130, the old file untouched, no temporary" \
      [ $rc -eq 130 -a "$(cat "$d/y.$ext")" = old -a "$(tmps "$d")" -eq 0 ]
  done

  # --- a frame per file: PNG, PDF, SVG -----------------------------------------
  for fmt in png pdf svg; do
    d="$T/$sig-frames-$fmt"
    "$HV" "${M[@]}" --size 1920x1080 --export-frames "$d" --format $fmt >"$d.out" 2>"$d.err" &
    interrupt "$d/frame_00002.$fmt" $sig $!
    n=$(find "$d" -name "frame_*.$fmt" | wc -l)
    check "SIG$sig during --export-frames --format $fmt: exit 130" [ $rc -eq 130 ]
    same "SIG$sig during --export-frames --format $fmt: one line on stderr (after the estimate of a long export)" \
      "headviz: interrupted: $n of 100000 frames written to $d (each one complete)" "$(after_estimate "$d.err")"
    check "SIG$sig during --export-frames --format $fmt: frames 0..$((n - 1)), no temporary" \
      [ "$n" -ge 3 -a -f "$d/$(printf 'frame_%05d' $((n - 1))).$fmt" -a "$(tmps "$d")" -eq 0 ]
  done
done
finish
