#!/usr/bin/env bash
# fuzz.sh [SECONDS]: builds the libFuzzer harnesses of tests/fuzz with clang
# (ASan + UBSan) in build-fuzz/ and runs each for SECONDS (default 20), two at
# a time. One line per harness; exit 1 when any harness found a crash, a leak,
# a hang or a broken contract (its input is saved as build-fuzz/artifacts/
# HARNESS-crash-... and named in the output, with the log).
#
# The inputs found are kept in build-fuzz/corpus/HARNESS (seeded from
# tests/fuzz/corpus/HARNESS), so later runs start from them. Re-run one input:
#   build-fuzz/tests/fuzz/fuzz_HARNESS build-fuzz/artifacts/HARNESS-crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
case "$secs" in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac
if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
harnesses=(npy npz json jsonl textgrid safetensors csv spec figure)
out=build-fuzz
if ! CC=clang cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHV_FUZZ=ON \
      -DBUILD_TESTING=OFF >"$out.configure.log" 2>&1; then
  cat "$out.configure.log" >&2
  exit 1
fi
rm -f "$out.configure.log"
if ! cmake --build "$out" --target hv_fuzzers -j"$(nproc)" >"$out/build.log" 2>&1; then
  cat "$out/build.log" >&2
  exit 1
fi
mkdir -p "$out/artifacts" "$out/logs"

# Runs one harness; writes its one-line result to $out/logs/NAME.result and
# returns non-zero when it found something.
run_one() {
  local h=$1 log=$out/logs/$1.log corpus=$out/corpus/$1 rc=0
  mkdir -p "$corpus"
  local dict=()
  [ -f "tests/fuzz/$h.dict" ] && dict=("-dict=tests/fuzz/$h.dict")
  "$out/tests/fuzz/fuzz_$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$h-" "${dict[@]}" \
    "$corpus" "tests/fuzz/corpus/$h" >"$log" 2>&1 || rc=$?
  local runs cov items
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  items=$(find "$corpus" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    printf 'fuzz %-12s ok: %s runs in %s s, %s inputs in the corpus, coverage %s\n' \
      "$h" "${runs:-?}" "$secs" "$items" "${cov:-?}" >"$out/logs/$h.result"
    return 0
  fi
  local what artifact
  what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer|UndefinedBehaviorSanitizer)[^(]*|runtime error:.*' "$log" || true)
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  printf 'fuzz %-12s FAILED (exit %s): %s; input %s; log %s\n' "$h" "$rc" \
    "${what:-see the log}" "${artifact:-none}" "$log" >"$out/logs/$h.result"
  return 1
}

status=0
for ((i = 0; i < ${#harnesses[@]}; i += 2)); do
  pids=()
  for h in "${harnesses[@]:i:2}"; do
    run_one "$h" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do
    wait "$p" || status=1
  done
  for h in "${harnesses[@]:i:2}"; do
    cat "$out/logs/$h.result"
  done
done
exit $status
