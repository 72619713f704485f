#!/usr/bin/env bash
# The README's first command: install what is missing, build, show the figure
# on the bundled data: a window when there is a display, else a PNG.
set -euo pipefail
cd "$(dirname "$0")/.."
HV_SETUP_EXTRAS=0 bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec ./build/headviz "$@"
fi
out="headviz-demo-$(date +%Y%m%d-%H%M%S).png"
./build/headviz --screenshot "$out" "$@" >/dev/null
echo "no display: wrote the figure to $(pwd)/$out"
