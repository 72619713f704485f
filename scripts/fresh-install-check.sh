#!/usr/bin/env bash
# By hand, not in CI (it needs root and downloads a Debian 12 system, about
# 200 MB, through apt): installs a headviz .deb with apt-get into a fresh
# minimal Debian 12 (bookworm) made by mmdebstrap, as on a new machine, and
# runs it there: a PNG drawn on the CPU, one drawn with OpenGL (Mesa's
# llvmpipe, headless), a PDF and (ffmpeg comes as a Recommends) an mp4 of the
# bundled data, from a folder of its own, with an empty environment.
#   sudo bash scripts/fresh-install-check.sh ./headviz_0.1.0_amd64.deb
# Needs mmdebstrap (apt-get install mmdebstrap). Removes the chroot at the end.
set -euo pipefail
deb=$(realpath "${1:?usage: fresh-install-check.sh PATH/headviz_VERSION_ARCH.deb}")
[ "$(id -u)" -eq 0 ] || { echo "headviz: fresh-install-check.sh needs root (chroot, mount)" >&2; exit 1; }
command -v mmdebstrap >/dev/null || { echo "headviz: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 1; }
root=$(mktemp -d /tmp/headviz-fresh.XXXXXX)
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT
mmdebstrap --quiet --variant=minbase bookworm "$root" http://deb.debian.org/debian \
  "deb http://deb.debian.org/debian-security bookworm-security main" \
  "deb http://deb.debian.org/debian bookworm-updates main"
cp "$deb" "$root/root/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive bash -euc '
  before=$(dpkg -l | grep -c "^ii")
  cd /root && apt-get update -qq && apt-get install -y -qq "./$(basename "$1")" >/root/apt.log
  echo "apt-get install ./$(basename "$1"): $(( $(dpkg -l | grep -c "^ii") - before )) packages on a minimal Debian 12 ($before)"
  mkdir /tmp/w && cd /tmp/w
  env -i PATH=/usr/bin:/bin HOME=/tmp/w headviz --version
  env -i PATH=/usr/bin:/bin HOME=/tmp/w headviz --screenshot x.png
  env -i PATH=/usr/bin:/bin HOME=/tmp/w headviz --screenshot x.pdf
  env -i PATH=/usr/bin:/bin HOME=/tmp/w headviz --screenshot gl.png --renderer gl   # Mesa, headless
  env -i PATH=/usr/bin:/bin HOME=/tmp/w headviz --video x.mp4 --frames 10 --size 320x180
  env -i PATH=/usr/bin:/bin HOME=/tmp/w headviz /usr/share/doc/headviz/examples/safety_heads.csv --screenshot ex.png
  cmp x.png ex.png && echo "the example data gives the same figure"
  [ -f /usr/share/man/man1/headviz.1.gz ] && [ -f /usr/share/bash-completion/completions/headviz ] &&
    echo "man page and bash completion installed"
' _ "$deb"
echo "fresh Debian 12: headviz installs with apt-get and runs"
