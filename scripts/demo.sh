#!/usr/bin/env bash
# The README's first command: install what is missing, build, show the figure
# on the bundled data: a window when there is a display, else a PNG in the
# current folder. Run it from any folder: data and output paths in the
# arguments are taken relative to where it was started.
#   bash scripts/demo.sh [headviz options...]
# (Tests set HV_DEMO_BIN to an already built headviz to skip set-up and build.)
set -euo pipefail
here=$(pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
hv=${HV_DEMO_BIN:-}
if [ -z "$hv" ]; then
  (cd "$repo" && HV_SETUP_EXTRAS=0 bash scripts/setup.sh &&
     cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null &&
     cmake --build build -j"$(nproc)" >/dev/null)
  hv="$repo/build/headviz"
fi
cd "$here"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$hv" "$@"
fi
# no display: when the arguments already name an output (or ask for help),
# headviz writes and reports it itself
for a in "$@"; do
  case $a in
    --screenshot | --screenshot=* | --export-frames | --export-frames=* | --video | --video=* | \
      --help | -h | --version) exec "$hv" "$@" ;;
  esac
done
out="headviz-demo-$(date +%Y%m%d-%H%M%S).png"
n=1
while [ -e "$out" ]; do # never overwrite an earlier demo from the same second
  out="headviz-demo-$(date +%Y%m%d-%H%M%S)-$n.png"
  n=$((n + 1))
done
"$hv" --screenshot "$out" "$@" >/dev/null
echo "no display: wrote the figure to $here/$out"
