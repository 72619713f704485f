#!/usr/bin/env bash
# The README's second command: install what is missing, build with warnings as
# errors, run the whole test suite, then again under ASan + UBSan, then again
# under ThreadSanitizer, then fuzz the readers and parsers (scripts/fuzz.sh 20)
# when clang is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export SDL_VIDEODRIVER=offscreen
jobs=$(nproc)
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHV_WERROR=ON >/dev/null
cmake --build build-ci -j"$jobs"
(cd build-ci && ctest --output-on-failure -j"$jobs")
if [ "${HV_SKIP_SANITIZE:-0}" != 1 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHV_WERROR=ON -DHV_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  # LeakSanitizer: Mesa's llvmpipe and fontconfig keep caches for the process lifetime
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  (cd build-asan && ctest --output-on-failure -j"$jobs")
fi
# ThreadSanitizer (cannot share a build with ASan): every test again; reports go to
# build-tsan/tests/tsan-reports/, which the last test (tsan_reports) requires to be empty
if [ "${HV_SKIP_TSAN:-0}" != 1 ]; then
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DHV_WERROR=ON -DHV_TSAN=ON >/dev/null
  cmake --build build-tsan -j"$jobs"
  rm -rf build-tsan/tests/tsan-reports
  tsan="suppressions=$PWD/tests/tsan.supp:log_path=$PWD/build-tsan/tests/tsan-reports/report:atexit_sleep_ms=200"
  (cd build-tsan && env -u ASAN_OPTIONS -u LSAN_OPTIONS -u UBSAN_OPTIONS TSAN_OPTIONS="$tsan" \
    ctest --output-on-failure -j"$jobs")
fi
# libFuzzer harnesses of the readers and the core's parsers, 20 s each (clang)
if command -v clang >/dev/null 2>&1; then
  env -u ASAN_OPTIONS -u LSAN_OPTIONS -u UBSAN_OPTIONS bash scripts/fuzz.sh 20
else
  echo "skip fuzzing: clang not installed"
fi
