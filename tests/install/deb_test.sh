#!/usr/bin/env bash
# The Debian package (issue 12), built with cpack from this build tree:
#   - headviz_VERSION_ARCH.deb, package headviz, the version and architecture;
#   - Depends = what dpkg-shlibdeps computes for the packaged binary, plus the
#     run-time packages it loads without linking them (named in CMakeLists.txt);
#     and, found independently, the packages owning the shared libraries the
#     binary links (objdump NEEDED, resolved by ldd, owned per dpkg -S) are
#     exactly the shlibdeps part; Recommends ffmpeg and a CJK font;
#   - dpkg -c: exactly the README's files under /usr, owned by root, the man
#     page and the bash completion among them; the packaged README's links
#     resolve in the packaged doc folder (/usr/share/doc/headviz);
#   - unpacked into a throwaway root (dpkg -x), the program runs from another
#     folder: --screenshot writes the figure, the packaged example data too;
#     man -l renders the packaged page;
#   - apt resolves it on a system with nothing installed (apt-get --simulate
#     install ./headviz_*.deb against an empty dpkg status and this machine's
#     Debian package lists): every dependency exists in the archive.
# Not done (no network, no root in CI): installing it for real in a clean
# Debian 12 chroot or container.
#   deb_test.sh BUILD_DIR SRC_DIR VERSION PNGTOOL
set -u
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
VERSION=$3
PT=$(realpath "$4")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
# the run-time packages headviz loads without linking them (CMakeLists.txt)
EXTRA="libegl1, libgl1, libegl-mesa0, libgl1-mesa-dri, fonts-dejavu-core"
for tool in cpack dpkg-deb dpkg-shlibdeps objdump; do
  command -v $tool >/dev/null || { echo "skip: $tool is not installed (scripts/setup.sh installs it)"; exit 77; }
done
arch=$(dpkg --print-architecture)

# --- build it --------------------------------------------------------------------------------
out=$(cd "$BUILD" && cpack -G DEB -B "$T/pkg" 2>&1); rc=$?
check "cpack -G DEB: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || printf '%s\n' "$out" | sed 's/^/    /'
DEB=$T/pkg/headviz_${VERSION}_$arch.deb
same "one package: headviz_${VERSION}_$arch.deb" "headviz_${VERSION}_$arch.deb" "$(cd "$T/pkg" && ls -- *.deb 2>&1)"
[ -f "$DEB" ] || { echo "$pass passed, $((fail + 1)) failed"; exit 1; }
same "Package, Version, Architecture" "headviz $VERSION $arch" \
  "$(dpkg-deb -f "$DEB" Package Version Architecture | sed 's/^[A-Za-z]*: //' | tr '\n' ' ' | sed 's/ $//')"

# --- Depends -----------------------------------------------------------------------------------
dpkg-deb -x "$DEB" "$T/root"
BIN=$T/root/usr/bin/headviz
mkdir -p "$T/shlibs/debian" && : >"$T/shlibs/debian/control"
shlibs=$(cd "$T/shlibs" && dpkg-shlibdeps -O "$BIN" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
check "dpkg-shlibdeps computes the binary's dependencies ($shlibs)" [ -n "$shlibs" ]
list() { tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep . | LC_ALL=C sort; }
depends=$(dpkg-deb -f "$DEB" Depends)
same "Depends = dpkg-shlibdeps of the binary + the run-time packages" \
  "$(printf '%s, %s\n' "$EXTRA" "$shlibs" | list)" "$(list <<<"$depends")"
# independently: who owns each library the binary names
owner() { # the package owning a file, under / or /usr (merged /usr)
  local p=$1 alt
  case $p in /usr/*) alt=${p#/usr} ;; *) alt=/usr$p ;; esac
  { dpkg -S "$p" 2>/dev/null || dpkg -S "$alt" 2>/dev/null; } | head -n 1 | cut -d: -f1
}
owners=""
unowned=""
for so in $(objdump -p "$BIN" | awk '$1 == "NEEDED" {print $2}'); do
  path=$(ldd "$BIN" | awk -v so="$so" '$1 == so && $2 == "=>" {print $3}')
  o=$([ -n "$path" ] && owner "$path")
  if [ -n "$o" ]; then owners="$owners$o"$'\n'; else unowned="$unowned $so"; fi
done
same "every linked library resolves to a package" "" "$unowned"
same "the packages owning the linked libraries = Depends without the run-time packages" \
  "$(grep . <<<"$owners" | LC_ALL=C sort -u)" \
  "$(list <<<"$depends" | sed 's/ .*//' | grep -vxF -f <(list <<<"$EXTRA") | LC_ALL=C sort -u)"
same "Recommends: ffmpeg (for --video), a CJK font (names through font fallback)" \
  "ffmpeg, fonts-noto-cjk | fonts-droid-fallback" "$(dpkg-deb -f "$DEB" Recommends)"

# --- contents ----------------------------------------------------------------------------------
contents=$(dpkg -c "$DEB")
readme_list=$(awk '/<!-- installed files/ {on = 1; next} on && /^```/ {if (inblock) exit; inblock = 1; next} inblock' "$SRC/README.md")
same "dpkg -c: exactly the README's files under /usr" \
  "$(sed 's|^|./usr/|' <<<"$readme_list" | LC_ALL=C sort)" \
  "$(awk '$1 !~ /^d/ {print $6}' <<<"$contents" | LC_ALL=C sort)"
check "dpkg -c: the man page ./usr/share/man/man1/headviz.1.gz" grep -q " ./usr/share/man/man1/headviz.1.gz$" <<<"$contents"
check "dpkg -c: the completion ./usr/share/bash-completion/completions/headviz" \
  grep -q " ./usr/share/bash-completion/completions/headviz$" <<<"$contents"
check "dpkg -c: everything owned by root/root" [ -z "$(awk '$2 != "root/root"' <<<"$contents")" ]
check "dpkg -c: the program is executable (-rwxr-xr-x)" grep -q "^-rwxr-xr-x .* ./usr/bin/headviz$" <<<"$contents"
# the packaged README's links, in the unpacked /usr/share/doc/headviz
links=$(cd "$T/root/usr/share/doc/headviz" && python3 "$HERE/md_links.py" README.md)
n_src=$(cd "$SRC" && python3 "$HERE/md_links.py" README.md | grep -c .)
check "the packaged README's links: $(grep -c . <<<"$links"), as in the source ($n_src)" \
  [ "$(grep -c . <<<"$links")" -eq "$n_src" -a "$n_src" -ge 20 ]
same "every relative link of the packaged README resolves in /usr/share/doc/headviz (file:line target why)" "" \
  "$(grep -v $'\tok$' <<<"$links")"

# --- the unpacked files work, from another folder -----------------------------------------------
mkdir -p "$T/elsewhere"
cd "$T/elsewhere" || exit 1
out=$("$BIN" --screenshot x.png 2>err.txt); rc=$?
check "unpacked: headviz --screenshot x.png: exit 0, nothing on stderr" [ $rc -eq 0 -a ! -s err.txt ]
check "... writes the 1920x1080 figure" [ "$out" = "x.png (1920x1080)" -a "$("$PT" info x.png 2>/dev/null)" = "1920 1080 3" ]
EX=$T/root/usr/share/doc/headviz/examples
"$BIN" "$EX/safety_heads.csv" --screenshot ex.png >/dev/null 2>&1
check "... the packaged example data gives the same figure" cmp -s x.png ex.png
page=$(MANWIDTH=80 man -l -Tutf8 "$T/root/usr/share/man/man1/headviz.1.gz" 2>"$T/man.err"); rc=$?
check "man -l renders the packaged page without a warning" [ $rc -eq 0 -a ! -s "$T/man.err" ] && grep -q "^SYNOPSIS" <<<"$page"

# --- apt resolves it on a system with nothing installed -----------------------------------------
if [ -z "$(apt-cache policy libc6 2>/dev/null | awk '/Candidate:/ && $2 != "(none)"')" ]; then
  echo "skip: no Debian package lists (apt-get update) to resolve the dependencies against"
else
  : >"$T/empty-status"
  sim=$(apt-get --simulate -o Dir::State::status="$T/empty-status" install "$DEB" 2>&1); rc=$?
  check "apt-get --simulate install ./headviz_*.deb on an empty system: exit 0" [ $rc -eq 0 ]
  [ $rc -eq 0 ] || grep -E "^(E:|W:| )" <<<"$sim" | sed 's/^/    /'
  check "... installs headviz" grep -q "^Inst headviz " <<<"$sim"
  missing=""
  for p in $(list <<<"$depends" | sed 's/ .*//') ffmpeg; do
    grep -q "^Inst $p " <<<"$sim" || missing="$missing $p"
  done
  same "... and every package of Depends and Recommends" "" "$missing"
fi

finish
