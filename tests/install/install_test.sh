#!/usr/bin/env bash
# cmake --install into throwaway prefixes (issue 12):
#   - --prefix and DESTDIR install exactly the files the README's Install
#     section lists, nothing else;
#   - the installed README's links resolve in the installed doc folder (and
#     those of the guide, reference and development notes beside it);
#   - the installed headviz runs from another folder: --version names the
#     version and commit, a still of the installed example data (its spec found
#     beside it) is byte-identical to the still of the embedded data;
#   - man finds and renders the installed page without a warning;
#   - bash-completion finds the installed completion where it looks for it
#     (XDG_DATA_DIRS) and it offers the --layout values.
#   install_test.sh BUILD_DIR SRC_DIR VERSION PNGTOOL
set -u
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
VERSION=$3
PT=$(realpath "$4")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
files_under() { (cd "$1" && find . \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort); }

# the list the README promises: the text block after the marker line
readme_list=$(awk '/<!-- installed files/ {on = 1; next} on && /^```/ {if (inblock) exit; inblock = 1; next} inblock' "$SRC/README.md" | LC_ALL=C sort)
check "the README lists the installed files (18)" [ "$(printf '%s\n' "$readme_list" | grep -c .)" -eq 18 ]

# --- cmake --install --prefix ---------------------------------------------------------
P=$T/prefix
out=$(cmake --install "$BUILD" --prefix "$P" 2>&1); rc=$?
check "cmake --install --prefix: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || echo "$out" | sed 's/^/    /'
same "--prefix: exactly the README's files" "$readme_list" "$(files_under "$P")"
check "bin/headviz is executable" [ -x "$P/bin/headviz" ]
check "the manual page is gzip" bash -c "gzip -t '$P/share/man/man1/headviz.1.gz'"
check "README and examples are the source's" bash -c "cmp -s '$SRC/README.md' '$P/share/doc/headviz/README.md' &&
  cmp -s '$SRC/assets/safety_heads.csv' '$P/share/doc/headviz/examples/safety_heads.csv' &&
  cmp -s '$SRC/assets/safety_heads.ini' '$P/share/doc/headviz/examples/safety_heads.ini'"
docs_differ=""
for f in $(sed -n 's|^share/doc/headviz/docs/||p' <<<"$readme_list"); do
  cmp -s "$SRC/docs/$f" "$P/share/doc/headviz/docs/$f" || docs_differ="$docs_differ $f"
done
same "the installed docs/ are the source's" "" "$docs_differ"
# the README's links in the installed copy (they were broken when only the
# README was installed): every relative link and image of the installed
# README, and of the manual installed beside it, resolves within
# PREFIX/share/doc/headviz; the README's count as in the source tree
DOC=$P/share/doc/headviz
links=$(cd "$DOC" && python3 "$HERE/md_links.py" README.md docs/guide.md docs/reference.md docs/development.md)
n_readme=$(grep -c '^README.md:' <<<"$links")
n_src=$(cd "$SRC" && python3 "$HERE/md_links.py" README.md | grep -c .)
check "the installed README's links: $n_readme, as in the source ($n_src)" [ "$n_readme" -eq "$n_src" -a "$n_src" -ge 20 ]
same "every relative link of the installed README resolves in the installed doc folder (file:line target why)" "" \
  "$(grep '^README.md:' <<<"$links" | grep -v $'\tok$')"
same "... and of the installed guide, reference and development notes" "" \
  "$(grep -v '^README.md:' <<<"$links" | grep -v $'\tok$')"

# --- DESTDIR (packagers' staging) -------------------------------------------------------
out=$(DESTDIR="$T/stage" cmake --install "$BUILD" --prefix /usr/local 2>&1); rc=$?
check "DESTDIR=... cmake --install --prefix /usr/local: exit 0" [ $rc -eq 0 ]
same "DESTDIR: the same files under DESTDIR/usr/local, nothing else" \
  "$(printf '%s\n' "$readme_list" | sed 's|^|usr/local/|')" "$(files_under "$T/stage")"

# --- the installed program, from another folder -----------------------------------------
mkdir -p "$T/elsewhere"
cd "$T/elsewhere" || exit 1
HV=$P/bin/headviz
v=$("$HV" --version 2>&1); rc=$?
expected="unknown"
if git -C "$SRC" rev-parse --show-toplevel >/dev/null 2>&1 &&
  [ "$(cd "$(git -C "$SRC" rev-parse --show-toplevel)" && pwd -P)" = "$(cd "$SRC" && pwd -P)" ]; then
  expected=$(git -C "$SRC" describe --always)
fi
# -dirty follows the work tree, which may change between build and test
check "installed --version: \"headviz $VERSION (git $expected[-dirty])\" ($v)" \
  [ $rc -eq 0 -a "${v/%-dirty)/)}" = "headviz $VERSION (git $expected)" ]
EX=$P/share/doc/headviz/examples
out=$("$HV" "$EX/safety_heads.csv" --screenshot ex.png --size 640x360 2>err.txt); rc=$?
check "the installed example data (spec found beside it): exit 0, nothing on stderr" [ $rc -eq 0 -a ! -s err.txt ]
check "... says what it wrote" [ "$out" = "ex.png (640x360)" ]
check "... a 640x360 PNG" [ "$("$PT" info ex.png 2>/dev/null)" = "640 360 3" ]
"$HV" --screenshot bundled.png --size 640x360 >/dev/null 2>&1
check "... byte-identical to the still of the embedded data" cmp -s ex.png bundled.png
"$HV" "$EX/safety_heads.csv" --spec "$EX/safety_heads.ini" --screenshot ex.svg --size 640x360 >/dev/null 2>&1
check "an SVG of the example data" grep -q "<svg" ex.svg
check "nothing written but what was asked" [ "$(ls | LC_ALL=C sort | tr '\n' ' ')" = "bundled.png err.txt ex.png ex.svg " ]

# --- man ---------------------------------------------------------------------------------
page=$(MANWIDTH=80 man -l -Tutf8 "$P/share/man/man1/headviz.1.gz" 2>"$T/man.err"); rc=$?
check "man -l renders the installed page: exit 0, no warning" [ $rc -eq 0 -a ! -s "$T/man.err" ]
[ -s "$T/man.err" ] && sed 's/^/    /' "$T/man.err"
check "... NAME: headviz - draw, animate and export ..." grep -q "headviz.*draw, animate and export" <<<"$page"
check "man finds it by name in the prefix (MANPATH)" [ "$(MANPATH="$P/share/man" man -w headviz 2>/dev/null)" = "$P/share/man/man1/headviz.1.gz" ]

# --- bash completion ----------------------------------------------------------------------
comp=$(bash -c 'source "$1/share/bash-completion/completions/headviz" &&
  COMP_WORDS=(headviz --layout "") COMP_CWORD=2 && _headviz && echo "${COMPREPLY[*]}"' _ "$P" 2>&1)
check "the installed completion offers --layout's values ($comp)" [ "$comp" = "side morph models heatmap diff" ]
if [ -r /usr/share/bash-completion/bash_completion ]; then
  # where bash-completion looks: $XDG_DATA_DIRS/bash-completion/completions
  loaded=$(XDG_DATA_DIRS="$P/share" bash -c 'source /usr/share/bash-completion/bash_completion &&
    __load_completion headviz && complete -p headviz' 2>&1)
  check "bash-completion loads it from PREFIX/share ($loaded)" [ "$loaded" = "complete -F _headviz headviz" ]
else
  echo "skip: bash-completion is not installed (apt-get install bash-completion)"
fi

finish
