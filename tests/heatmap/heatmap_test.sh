#!/usr/bin/env bash
# The heatmap's winners, separators and small cells, counted in rendered
# images (tests/heatmap/count.py reads them through pngtool):
#   - an 80 x 64 grid (Llama-2-70b, kv_heads = 8) whose ten top cells are the
#     colormap's maximum (viridis #fde725) and every other cell at most its
#     middle: each top cell still shows its colour on at least 3/4 of a
#     cell and a solid 3 x 3 px block, at 3.5 x 2.5 in at 300 dpi (paper) and
#     640x360, light and dark, with the CPU raster and GL;
#   - KV separators: one pixel row each, the cells' share of the panel above
#     85% with them; in PDF and SVG stroked 0.25 pt wide at 96 and 300 dpi, left out where the cells are too small (the five-model
#     study at 640x360: the same pixels with and without kv_heads);
#   - signed scores in the side and morph layouts: true minus signs in PDF text.
# usage: heatmap_test.sh HEADVIZ PNGTOOL
set -u
HV=$1
PNG=$2
. "$(dirname "$0")/../lib.sh"
COUNT=(/usr/bin/python3 "$(dirname "$0")/count.py" "$PNG")
/usr/bin/python3 - "$T" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(5)
g = rng.uniform(0, 0.5, (80, 64)).astype(np.float32)
for l, h in [(10, 5), (20, 40), (33, 12), (41, 60), (50, 30), (57, 3), (63, 50), (70, 20), (75, 44), (5, 33)]:
    g[l, h] = 1.0
np.save(sys.argv[1] + "/g70.npy", g)
PY
base="[source: g70.npy]
model = Llama-2-70b
condition = A"
printf '[figure]\ntop = 10\nkv_heads = 8\n%s\n' "$base" >"$T/kv.ini"
printf '[figure]\ntop = 10\n%s\n' "$base" >"$T/nokv.ini"

PAPER=(--size 3.5inx2.5in --dpi 300 --context paper)
for r in cpu gl; do
  for th in light dark; do
    for sz in paper 640x360; do
      if [ $sz = paper ]; then S=("${PAPER[@]}"); else S=(--size $sz); fi
      f="$T/top_${r}_${th}_$sz.png"
      "$HV" --spec "$T/kv.ini" --layout heatmap "${S[@]}" --theme $th --renderer $r --screenshot "$f" >/dev/null 2>&1
      same "top cells showing their colour: $sz $th ($r)" 10 "$("${COUNT[@]}" "$f" top 253 231 37 2>/dev/null)"
    done
  done
done

# separators: hairlines (7 lines between 8 groups: 7 rows of pixels), the
# cells' share of the panel above 85%
for sz in paper 7inx5in; do
  if [ $sz = paper ]; then S=("${PAPER[@]}"); else S=(--size $sz --dpi 300); fi
  "$HV" --spec "$T/kv.ini" --layout heatmap "${S[@]}" --screenshot "$T/kv_$sz.png" >/dev/null 2>&1
  "$HV" --spec "$T/nokv.ini" --layout heatmap "${S[@]}" --screenshot "$T/nokv_$sz.png" >/dev/null 2>&1
  same "separators are hairlines ($sz): 7 pixel rows" 7 "$("${COUNT[@]}" "$T/kv_$sz.png" rows "$T/nokv_$sz.png")"
  share=$("${COUNT[@]}" "$T/kv_$sz.png" share "$T/nokv_$sz.png")
  echo "     cells' share of the panel with separators ($sz): $share"
  check "cells' share with separators above 0.85 ($sz): $share" awk -v s="$share" 'BEGIN { exit !(s > 0.85) }'
done

# separators in PDF and SVG: hairlines of 0.25 pt (HV_HAIRLINE_PT), whatever
# the page's pixels per point (96 dpi: a pixel is 0.75 pt; 300 dpi: 0.24 pt),
# where a raster draws them one device pixel across (above): 7 stroked lines,
# each at 0.25 pt (the PDF's "w" in effect at each "l S", read from its
# content stream uncompressed by qpdf; the SVG's stroke-width in its user
# units, which are points)
for dpi in 96 300; do
  "$HV" --spec "$T/kv.ini" --layout heatmap --size 7inx5in --dpi $dpi --screenshot "$T/kv_$dpi.pdf" >/dev/null 2>&1
  "$HV" --spec "$T/kv.ini" --layout heatmap --size 7inx5in --dpi $dpi --screenshot "$T/kv_$dpi.svg" >/dev/null 2>&1
  if command -v qpdf >/dev/null; then
    qpdf --qdf --object-streams=disable "$T/kv_$dpi.pdf" "$T/kv_$dpi.qdf" >/dev/null 2>&1
    same "PDF at $dpi dpi: 7 separators stroked 0.25 pt wide (widths of the stroked lines)" "7 x 0.25" \
      "$(awk '$NF == "w" { w = $(NF - 1) } / l S$/ { print w }' "$T/kv_$dpi.qdf" | sort | uniq -c | awk '{ printf "%s x %s", $1, $2 }')"
  else
    echo "skip: qpdf not installed (the PDF's line widths)"
  fi
  check "SVG at $dpi dpi: user units are points (504pt wide, a viewBox of 504)" \
    grep -q 'width="504pt" height="360pt" viewBox="0 0 504 360"' "$T/kv_$dpi.svg"
  same "SVG at $dpi dpi: 7 separators stroked 0.25 pt wide (stroke widths)" "7 x 0.25" \
    "$(grep -o 'stroke-width:[^;"]*' "$T/kv_$dpi.svg" | sed 's/.*://' | sort | uniq -c | awk '{ printf "%s x %s", $1, $2 }')"
done
"$HV" --spec "$T/nokv.ini" --layout heatmap --size 7inx5in --dpi 96 --screenshot "$T/nokv_96.svg" >/dev/null 2>&1
same "SVG without kv_heads: no stroked line" "" "$(grep -o 'stroke-width:[^;"]*' "$T/nokv_96.svg")"

# too small to help: the study's 80 x 64 and 32 x 32 panels at 640x360
/usr/bin/python3 "$(dirname "$0")/../data/make_study.py" "$T/study"
grep -v '^kv_heads' "$T/study/study.ini" >"$T/study/nokv.ini"
"$HV" --spec "$T/study/study.ini" --layout heatmap --size 640x360 --screenshot "$T/s_kv.png" >/dev/null 2>&1
"$HV" --spec "$T/study/nokv.ini" --layout heatmap --size 640x360 --screenshot "$T/s_nokv.png" >/dev/null 2>&1
same "separators left out at 640x360 (5 x 3 study): no pixel differs" 0 \
  "$("${COUNT[@]}" "$T/s_kv.png" same "$T/s_nokv.png")"

# names in other scripts: a CJK and a Cyrillic model name in a PDF (the
# fallback font embedded as a second font, pdftotext returns both names);
# a character no installed font has (U+16A0, runic) warned about once
Q='Qwen2-7B-Instruct（通义千问·Zürich）'
M='Мистраль-7B Инструкт'
printf 'model,condition,layer,head,score\n%s,A,1,2,3\n%s,A,3,4,5\n%s,A,2,2,4\n%s,A,5,1,2\n' "$Q" "$Q" "$M" "$M" >"$T/names.csv"
"$HV" "$T/names.csv" --size 960x540 --screenshot "$T/names.pdf" >/dev/null 2>&1
fonts=$(pdffonts "$T/names.pdf" 2>/dev/null | tail -n +3 | awk '{print $1}' | sed 's/^[A-Z]*+//' | sort -u)
check "CJK name: the PDF embeds a second (fallback) font: $(echo $fonts)" test "$(wc -l <<<"$fonts")" -ge 2
txt=$(pdftotext "$T/names.pdf" - 2>/dev/null)
check "CJK name: pdftotext returns it" grep -qF "$Q" <<<"$txt"
check "Cyrillic name: pdftotext returns it" grep -qF "$M" <<<"$txt"
printf 'model,condition,layer,head,score\nrune ᚠ,A,1,2,3\nrune ᚠ,B,1,2,4\n' >"$T/rune.csv"
"$HV" "$T/rune.csv" --layout morph --size 640x360 --screenshot "$T/rune.png" >/dev/null 2>"$T/rune.err"
same "a character no font has: warned once, naming it and the text" \
  'headviz: warning: no installed font has U+16A0 "ᚠ" (in "rune ᚠ"): drawn as a box' "$(grep 'no installed font' "$T/rune.err")"

# signed scores: the side and morph layouts' PDF colorbars read "−2" with a
# true minus sign (U+2212), never a hyphen-minus before a digit
/usr/bin/python3 "$(dirname "$0")/../data/make_study.py" "$T/signed" --signed
for lay in side morph; do
  "$HV" --spec "$T/signed/study.ini" --layout $lay --screenshot "$T/signed_$lay.pdf" >/dev/null 2>&1
  txt=$(pdftotext "$T/signed_$lay.pdf" - 2>/dev/null)
  check "signed scores ($lay): the PDF's text has U+2212" grep -q $'\u2212[0-9]' <<<"$txt"
  check "signed scores ($lay): no hyphen-minus before a digit" bash -c '! grep -Eq "(^|[^A-Za-z0-9])-[0-9]" <<<"$1"' _ "$txt"
done
finish
