#!/usr/bin/env bash
# Installs the Debian packages headviz needs to build, run and test, when any
# is missing. Idempotent; silent when everything is there.
set -euo pipefail
PKGS=(build-essential cmake pkg-config
      libsdl2-dev libsdl2-ttf-dev libstb-dev libepoxy-dev libinih-dev
      libfontconfig-dev zlib1g-dev libdeflate-dev fonts-dejavu-core libcjson-dev libzip-dev
      libgl1-mesa-dri libegl-mesa0 libegl1 libgles2)
# hb-subset (harfbuzz-subset): --html cuts the fallback fonts a page carries
PKGS+=(libharfbuzz-dev)
# optional extras used by tests/benchmarks when present
EXTRA=(ffmpeg python3-matplotlib clang libclang-rt-14-dev python3-numpy)
# a CJK font: the font-fallback tests draw Chinese model names with it
EXTRA+=(fonts-droid-fallback)
# vector backend (PDF, SVG) and the tools its tests read the files with
PKGS+=(libcairo2-dev)
EXTRA+=(poppler-utils qpdf librsvg2-bin libxml2-utils strace)
# packaging: dpkg-shlibdeps for the .deb's Depends (cpack, scripts/package.sh);
# the install tests render the manual page and run the bash completion
PKGS+=(dpkg-dev)
EXTRA+=(man-db bash-completion)
# the real clients of the files, in the tests: headless Chromium plays the
# .mp4/.webm (export_video_colour; about 113 MB to download) and pdflatex
# with the animate package compiles the user guide's LaTeX (latex_readme;
# texlive-latex-extra, about 89 MB): together about a minute of apt in CI
EXTRA+=(chromium texlive-latex-extra)
# the web page (--html): emscripten builds the web player (and fonttools cuts
# its font); chromium runs the page in the browser test
EXTRA+=(emscripten fonttools)
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
