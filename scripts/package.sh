#!/usr/bin/env bash
# Builds the Debian package headviz_VERSION_ARCH.deb: installs what is missing
# (scripts/setup.sh), makes a Release build in build-pkg/ and runs cpack's DEB
# generator there (Depends from dpkg-shlibdeps plus the run-time packages named
# in CMakeLists.txt). Prints the path of the package.
#   bash scripts/package.sh [OUTDIR]     (default: the current folder)
# Then: sudo apt-get install ./headviz_*.deb
set -euo pipefail
out=$(realpath -m "${1:-.}")
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
HV_SETUP_EXTRAS=0 bash scripts/setup.sh
cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build-pkg -j"$(nproc)" >/dev/null
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
(cd build-pkg && cpack -G DEB -B "$stage" >/dev/null)
debs=("$stage"/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "headviz: package.sh: cpack made no single .deb" >&2; exit 1; }
mkdir -p "$out"
mv -f "${debs[0]}" "$out/"
echo "$out/$(basename "${debs[0]}")"
