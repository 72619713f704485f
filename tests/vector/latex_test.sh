#!/usr/bin/env bash
# The user guide's LaTeX (docs/guide.md, once the README's), in pdflatex (the client papers and Beamer talks use):
# - the guide's Beamer commands, run in a folder as printed there, print
#   exactly the lines the guide shows under them;
# - the guide's two documents (a two-column article with
#   \includegraphics[width=\columnwidth]{fig.pdf}, a 16:9 Beamer talk with
#   both \animategraphics forms), beside those files, compile with no error
#   and no overfull box;
# - the Beamer line headviz prints after --export-frames DIR --format pdf,
#   pasted exactly as printed into a Beamer frame in the folder headviz ran
#   in, compiles (here with a nested folder and the 4:3 --size beamer43);
#   the line without the folder, as headviz printed it before, does not.
# Skipped (77) without pdflatex or the animate package (Debian:
# texlive-latex-extra; scripts/setup.sh installs it).
# usage: latex_test.sh HEADVIZ SRC_DIR
set -u
HV=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the cases run in $T
SRC=$(cd "$2" && pwd)
README=$SRC/docs/guide.md # the user guide holds the LaTeX the README once held (issue 22)
. "$(dirname "$0")/../lib.sh"
if ! command -v pdflatex >/dev/null || [ -z "$(kpsewhich animate.sty 2>/dev/null)" ]; then
  echo "skip: pdflatex or LaTeX's animate package is not installed (apt-get install texlive-latex-extra; scripts/setup.sh installs it)"
  exit 77
fi
cd "$T" || exit 1

# latex NAME FILE.tex: compiles (twice, as animate needs) with no error and
# no overfull box
latex() {
  local base=${2%.tex} rc=0 i
  for i in 1 2; do
    pdflatex -interaction=nonstopmode -halt-on-error "$2" >/dev/null 2>&1 || rc=$?
  done
  check "$1: pdflatex exit 0" [ $rc -eq 0 ]
  same "$1: no error in the log" "" "$(grep -A2 '^!' "$base.log")"
  same "$1: no overfull box in the log" "" "$(grep -E 'Overfull' "$base.log")"
}

# --- the guide's commands print what the guide shows -------------------------------------
# the ```sh block after "For LaTeX Beamer": "headviz ..." lines, each
# followed by "#   " and the line it prints
awk '/^For LaTeX Beamer/ {on = 1} on && /^```sh/ {blk = 1; next} blk && /^```/ {exit} blk' "$README" >readme_beamer.sh
check "the guide's Beamer block has two commands" [ "$(grep -c '^headviz ' readme_beamer.sh)" = 2 ]
while IFS= read -r cmd && IFS= read -r shown; do
  # shellcheck disable=SC2086 # the guide's words, split as a shell would (no quotes in them)
  printed=$("$HV" ${cmd#headviz } 2>&1 | grep '^LaTeX Beamer')
  same "guide: $cmd prints the line shown" "${shown#\#   }" "$printed"
done <readme_beamer.sh
"$HV" --screenshot fig.pdf --size 3.5inx2.5in --context paper >/dev/null 2>&1
check "the one-column command is in the guide" grep -qF 'headviz --screenshot fig.pdf --size 3.5inx2.5in --context paper' "$README"
check "... and in the README's tour" grep -qF 'headviz --screenshot fig.pdf --size 3.5inx2.5in --context paper' "$SRC/README.md"

# --- the guide's documents compile ---------------------------------------------------------
awk '/^```latex/ {n++; on = 1; next} on && /^```/ {on = 0; next} on {print > ("readme_" n ".tex")}' "$README"
check "the guide has two LaTeX documents" [ -s readme_1.tex -a -s readme_2.tex -a ! -e readme_3.tex ]
check "readme_1.tex: two-column, \\includegraphics[width=\\columnwidth]{fig.pdf}" \
  eval 'grep -qF "\documentclass[twocolumn]{article}" readme_1.tex && grep -qF "\includegraphics[width=\columnwidth]{fig.pdf}" readme_1.tex'
check "readme_2.tex: Beamer, both \\animategraphics forms" \
  eval 'grep -qF "{beamer/frame_}{00000}{00023}" readme_2.tex && grep -qF "{morph}{}{}" readme_2.tex'
latex "guide's paper" readme_1.tex
same "guide's paper: one page" 1 "$(pdfinfo readme_1.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')"
latex "guide's talk" readme_2.tex
same "guide's talk: three slides" 3 "$(pdfinfo readme_2.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')"

# --- the printed line, pasted as printed ----------------------------------------------------
mkdir -p talk/figs
out=$("$HV" --layout morph --export-frames talk/figs/morph --format pdf --size beamer43 --fps 10 --frames 8 2>&1)
line=$(sed -n 's/^LaTeX Beamer (\\usepackage{animate}): //p' <<<"$out")
same "the printed line" '\animategraphics[controls,loop,width=\textwidth]{10}{talk/figs/morph/frame_}{00000}{00007}' "$line"
printf '%s\n' '\documentclass{beamer}' '\usepackage{animate}' '\begin{document}' '\begin{frame}' "  $line" \
  '\end{frame}' '\end{document}' >pasted.tex
latex "the printed line in a 4:3 Beamer frame (--size beamer43)" pasted.tex
# the old line, without the folder, fails: the check above can fail
sed 's|{talk/figs/morph/frame_}|{frame_}|' pasted.tex >old.tex
pdflatex -interaction=nonstopmode -halt-on-error old.tex >/dev/null 2>&1
check "the line without its folder does not compile (\"None of the files\")" grep -q "None of the files" old.log
finish
