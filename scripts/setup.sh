#!/usr/bin/env bash
# Installs the Debian packages headviz needs to build, run and test, when any
# is missing. Idempotent; silent when everything is there.
set -euo pipefail
PKGS=(build-essential cmake pkg-config
      libsdl2-dev libsdl2-ttf-dev libstb-dev libepoxy-dev libinih-dev
      libfontconfig-dev zlib1g-dev libdeflate-dev fonts-dejavu-core libcjson-dev libzip-dev
      libgl1-mesa-dri libegl-mesa0 libegl1 libgles2)
# optional extras used by tests/benchmarks when present
EXTRA=(ffmpeg python3-matplotlib clang libclang-rt-14-dev python3-numpy)
# vector backend (PDF, SVG) and the tools its tests read the files with
PKGS+=(libcairo2-dev)
EXTRA+=(poppler-utils qpdf librsvg2-bin libxml2-utils strace)
# packaging: dpkg-shlibdeps for the .deb's Depends (cpack, scripts/package.sh);
# the install tests render the manual page and run the bash completion
PKGS+=(dpkg-dev)
EXTRA+=(man-db bash-completion)
# the window tests under a bare X server (tests/player/present_xvfb_test.sh)
EXTRA+=(xvfb xdotool x11-apps)
want=("${PKGS[@]}")
[ "${HV_SETUP_EXTRAS:-1}" = 1 ] && want+=("${EXTRA[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
