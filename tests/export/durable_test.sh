#!/usr/bin/env bash
# Every output kind is written durably, the same way: the data go to a
# temporary beside the final name, the temporary's descriptor is fsync'd,
# then it is renamed (--force) or linked (no --force) to the final name, and
# the folder is fsync'd after that (a frames export: once, after its last
# frame). Watched with strace: the order of fsync and rename/link calls;
# each traced run exits 0.
# usage: durable_test.sh HEADVIZ
set -u
HV=$1
. "$(dirname "$0")/../lib.sh"
if ! command -v strace >/dev/null || ! strace -qq -e trace=none true 2>/dev/null; then
  echo "skip: strace is not installed or cannot trace here"
  exit 77
fi

# run LOG ARGS...: headviz under strace (threads and ffmpeg followed); it
# must exit 0. LeakSanitizer cannot run under ptrace: in a sanitizer build
# it would abort each traced run at exit ("Aborted" in the log, exit 134),
# so these runs, and only these, have leak detection off (the same commands
# run untraced, leaks checked, in the other export tests).
run() {
  local log=$1 rc
  shift
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -qq -y -o "$log" -e trace=fsync,fdatasync,rename,renameat,renameat2,link,linkat "$HV" "$@" \
    >"$log.out" 2>"$log.err"
  rc=$?
  [ $rc -eq 0 ] || bad "headviz $* under strace: exit $rc ($(tail -n 1 "$log.err"))"
}

# durable LOG FINAL...: prints "ok", or what is missing, for the final names
# given: each one published (rename/link of a temporary to it) after an
# fsync of the temporary's descriptor, and its folder fsync'd after the last
# publication.
durable() {
  local log=$1
  shift
  awk -v finals="$*" '
    BEGIN { n = split(finals, f, " "); for (i = 1; i <= n; i++) want[f[i]] = 1 }
    # fsync(3</dir/.x.png.headviz-12.tmp>) or fdatasync(...)
    /(^|[] ])f(data)?sync\(/ {
      if (match($0, /<[^>]*>/)) synced[substr($0, RSTART + 1, RLENGTH - 2)] = NR
      next
    }
    /(^|[] ])(rename|renameat|renameat2|link|linkat)\(/ {
      s = $0
      if (!match(s, /"[^"]*"/)) next
      src = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
      if (!match(s, /"[^"]*"/)) next
      dst = substr(s, RSTART + 1, RLENGTH - 2)
      if (!(dst in want)) next
      published[dst] = NR
      if (!(src in synced)) bad = bad " " dst ": no fsync of " src " before its rename/link;"
      d = dst; sub(/\/[^\/]*$/, "", d)
      last[d] = NR
    }
    END {
      for (x in want) if (!(x in published)) bad = bad " " x ": never published;"
      for (d in last) if (!(d in synced) || synced[d] < last[d]) bad = bad " folder " d ": no fsync after the rename/link;"
      print bad == "" ? "ok" : bad
    }' "$log"
}

# a folder fsync'd before the rename does not count: synced[] keeps the
# last fsync of each path, compared with the last publication
S=(--size 320x180)
for ext in png pdf svg; do
  run "$T/still-$ext" --screenshot "$T/still.$ext" "${S[@]}"
  same "--screenshot still.$ext: fsync, link, folder fsync" ok "$(durable "$T/still-$ext" "$T/still.$ext")"
  run "$T/still-$ext-f" --screenshot "$T/still.$ext" --force "${S[@]}"
  same "--screenshot still.$ext --force: fsync, rename, folder fsync" ok "$(durable "$T/still-$ext-f" "$T/still.$ext")"
done
run "$T/still-gl" --screenshot "$T/gl.png" --renderer gl "${S[@]}"
same "--screenshot gl.png --renderer gl: fsync, link, folder fsync" ok "$(durable "$T/still-gl" "$T/gl.png")"

run "$T/vpdf" --video "$T/v.pdf" --frames 4 --layout morph "${S[@]}"
same "--video v.pdf: fsync, link, folder fsync" ok "$(durable "$T/vpdf" "$T/v.pdf")"
run "$T/vpdf-f" --video "$T/v.pdf" --frames 4 --layout morph --force "${S[@]}"
same "--video v.pdf --force: fsync, rename, folder fsync" ok "$(durable "$T/vpdf-f" "$T/v.pdf")"
if command -v ffmpeg >/dev/null; then
  for ext in mp4 webm gif; do
    run "$T/v$ext" --video "$T/v.$ext" --frames 4 --layout morph "${S[@]}"
    same "--video v.$ext: fsync, link, folder fsync" ok "$(durable "$T/v$ext" "$T/v.$ext")"
  done
  run "$T/vmp4-f" --video "$T/v.mp4" --frames 4 --layout morph --force "${S[@]}"
  same "--video v.mp4 --force: fsync, rename, folder fsync" ok "$(durable "$T/vmp4-f" "$T/v.mp4")"
else
  echo "skip ffmpeg videos: ffmpeg not installed"
fi

for fmt in png pdf svg; do
  for r in "" cpu gl; do
    [ -n "$r" ] && [ $fmt != png ] && continue
    d="$T/frames-$fmt$r"
    run "$d.log" --export-frames "$d" --format $fmt --frames 5 --layout morph ${r:+--renderer $r} "${S[@]}"
    names=$(for i in 0 1 2 3 4; do printf '%s/frame_%05d.%s ' "$d" $i $fmt; done)
    # shellcheck disable=SC2086
    same "--export-frames --format $fmt${r:+ --renderer $r}: each frame fsync'd before its link, the folder after the last" \
      ok "$(durable "$d.log" $names)"
    run "$d.log" --export-frames "$d" --format $fmt --frames 5 --layout morph --force ${r:+--renderer $r} "${S[@]}"
    # shellcheck disable=SC2086
    same "--export-frames --format $fmt${r:+ --renderer $r} --force: each frame fsync'd before its rename, the folder after the last" \
      ok "$(durable "$d.log" $names)"
  done
done
finish
