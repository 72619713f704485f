#!/usr/bin/env bash
# The facet layouts on a real study (tests/data/study: five models of real
# shapes, three conditions, long and non-ASCII names; made by
# tests/data/make_study.py): golden stills with a tolerance, every name in
# full in a one-column... and a two-column paper PDF, the refusal of a size
# too small, and the same layout from the CPU raster and GL.
#   facet_test.sh HEADVIZ PNGTOOL GOLDEN_DIR
# HV_UPDATE_GOLDEN=1 writes the goldens anew (look at them first).
set -u
HV=$1
PNG=$2
GOLD=$3
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib.sh"
STUDY=$SRC/tests/data/study
export SDL_VIDEODRIVER=offscreen
out=$T/out
mkdir -p "$out"

# golden stills: at most 0.3% of pixels more than 24 levels off
golden() { # golden NAME ARGS...
  local name=$1
  shift
  local got=$out/$name.png
  if ! "$HV" --spec "$STUDY/study.ini" "$@" --renderer cpu --screenshot "$got" >/dev/null 2>&1; then
    bad "$name: headviz failed"
    return
  fi
  if [ "${HV_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$got" "$GOLD/$name.png"
    ok "$name: golden written"
    return
  fi
  local r n total
  r=$("$PNG" diff "$GOLD/$name.png" "$got" 24 "$out/diff_$name.png") || {
    bad "$name: no golden $GOLD/$name.png"
    return
  }
  read -r n total <<<"$r"
  if [ $((n * 1000)) -le $((total * 3)) ]; then
    ok "$name: within 0.3% of the golden ($n of $total pixels differ by more than 24)"
  else
    mkdir -p "$SRC/build-facet-mismatch"
    cp "$got" "$SRC/build-facet-mismatch/actual_$name.png"
    cp "$out/diff_$name.png" "$SRC/build-facet-mismatch/diff_$name.png"
    bad "$name: $n of $total pixels differ by more than 24 from $GOLD/$name.png; wrote actual_$name.png and diff_$name.png in build-facet-mismatch/. If the change is intended: HV_UPDATE_GOLDEN=1 ctest -R render_facets"
  fi
}
golden facet_heatmap_960x540 --layout heatmap --size 960x540
golden facet_diff_960x540 --layout diff --size 960x540
golden facet_heatmap_paper_3.5in --layout heatmap --size 3.5inx2.5in --dpi 200 --context paper

# every model and condition name in full in a 7 x 5 in paper PDF (lines a
# name was wrapped over joined again: after a hyphen without a space)
pdf=$out/study.pdf
"$HV" --spec "$STUDY/study.ini" --layout heatmap --size 7inx5in --context paper --screenshot "$pdf" >/dev/null 2>&1
check "7 x 5 in PDF written" [ -s "$pdf" ]
if command -v pdftotext >/dev/null; then
  text=$(pdftotext -raw "$pdf" - | tr '\n' ' ' | sed 's/- /-/g; s/  */ /g')
  for name in "Undiff Attn." "Scaling Cont." "Refusal Dir. Ablation" "Llama-2-13b-chat-hf" \
    "Mistral-7B-Instruct-v0.2" "Qwen2-7B-Instruct (Zürich run ½)" "gemma-2-9b-it" \
    "Llama-2-70b-chat-hf step-2024-03 ckpt"; do
    case $text in
      *"$name"*) ok "7 x 5 in PDF has \"$name\" in full" ;;
      *) bad "7 x 5 in PDF has \"$name\" in full (pdftotext: $text)" ;;
    esac
  done
  n=$(pdftotext -raw "$pdf" - | grep -c '^Layer$')
  same "\"Layer\" once in the PDF" 1 "$n"
  # a title with {model}: over each panel of the models layout, heading
  # the rows of the heatmap; the condition then once (models) or over the
  # columns (heatmap), never the joined list of every model
  # (a copy of the study: its spec names its files beside it)
  cp -r "$STUDY" "$out/study_mt"
  sed -i 's/^title = .*/title = {model} (top {k})/' "$out/study_mt/study.ini"
  for layout in models heatmap; do
    "$HV" --spec "$out/study_mt/study.ini" --layout $layout --size 7inx5in --context paper \
      --screenshot "$out/model_$layout.pdf" >/dev/null 2>&1
    text=$(pdftotext -raw "$out/model_$layout.pdf" - | tr '\n' ' ' | sed 's/- /-/g; s/  */ /g')
    for name in "Llama-2-13b-chat-hf (top 10)" "Qwen2-7B-Instruct (Zürich run ½) (top 10)" \
      "Llama-2-70b-chat-hf step-2024-03 ckpt (top 10)" "Undiff Attn."; do
      case $text in
        *"$name"*) ok "$layout, title = {model} (top {k}): \"$name\" in the PDF" ;;
        *) bad "$layout, title = {model} (top {k}): \"$name\" in the PDF (pdftotext: $text)" ;;
      esac
    done
    case $text in
      *"Llama-2-13b-chat-hf, Mistral"*) bad "$layout: no title lists every model ($text)" ;;
      *) ok "$layout: no title lists every model" ;;
    esac
  done
else
  echo "skip: pdftotext not installed (apt-get install poppler-utils)"
fi

# paper type in points, read from the PDF's content stream (the text
# matrices): at 7 x 3.5 in the seed keeps the paper context's sizes, 8 pt
# tick labels, 8.8 pt labels and headers, 9.6 pt titles, each to within a
# device pixel (96 dpi: 8.25, 9 and 9.75 pt); at 3.5 x 2.5 in the titles need
# smaller type, never under 5 pt
if command -v qpdf >/dev/null; then
  tf() { # the text sizes of a PDF, one per line, sorted
    qpdf --qdf --object-streams=disable "$1" "$1.qdf" >/dev/null 2>&1
    grep -a ' Tm$' "$1.qdf" | awk '$1 > 0 { print $1 }' | sort -n | uniq
  }
  "$HV" "$SRC/assets/safety_heads.csv" --size 7inx3.5in --context paper --screenshot "$out/seed7.pdf" >/dev/null 2>&1
  same "seed at 7 x 3.5 in, paper: text of 8.25, 9 and 9.75 pt" "8.25 9 9.75" "$(tf "$out/seed7.pdf" | tr '\n' ' ' | sed 's/ $//')"
  "$HV" "$SRC/assets/safety_heads.csv" --size 3.5inx2.5in --context paper --screenshot "$out/seed35.pdf" >/dev/null 2>&1
  sizes=$(tf "$out/seed35.pdf")
  check "seed at 3.5 x 2.5 in, paper: the smallest text at least 5 pt, the largest at most 9.75 ($(echo $sizes))" \
    awk -v a="$(echo "$sizes" | head -1)" -v b="$(echo "$sizes" | tail -1)" 'BEGIN { exit !(a >= 5 && b <= 9.75) }'
else
  echo "skip: qpdf not installed"
fi

# 320x180 holds the fifteen panels with the models as columns (facets =
# auto); in rows it is too small: exit 2, one line naming a larger size,
# nothing written
"$HV" --spec "$STUDY/study.ini" --layout heatmap --size 320x180 --screenshot "$out/small_cols.png" >/dev/null 2>&1
check "320x180 heatmap of 15 panels, models as columns: drawn" [ -s "$out/small_cols.png" ]
err=$("$HV" --spec "$STUDY/study.ini" --layout heatmap --facets models-rows --size 320x180 --screenshot "$out/small.png" 2>&1 >/dev/null)
rc=$?
check "320x180 heatmap of 15 panels in rows: exit 2" [ $rc -eq 2 ]
case $err in
  "headviz: 320x180 is too small for the heatmap layout's 15 panels at the smallest legible type: it needs about "*"px (a larger --size)") ok "the refusal names a larger size" ;;
  *) bad "the refusal names a larger size (got: $err)" ;;
esac
check "nothing written when refused" [ ! -e "$out/small.png" ]
check "the refusal is one line" [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]

# the CPU raster and GL lay the facet grid out identically
"$HV" --spec "$STUDY/study.ini" --layout heatmap --size 960x540 --renderer gl --screenshot "$out/gl.png" >/dev/null 2>&1
if [ -s "$out/gl.png" ]; then
  read -r n total <<<"$("$PNG" diff "$out/facet_heatmap_960x540.png" "$out/gl.png" 64)"
  check "GL and CPU facet stills agree (within text antialiasing: $n of $total pixels over 64)" [ $((n * 100)) -le "$total" ]
else
  echo "skip: no GL context here"
fi
finish
