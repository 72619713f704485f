#!/usr/bin/env bash
# PDF and SVG through the real binary (issue 10):
#   - every layout, in both formats, at a morph moment: valid files (qpdf,
#     xmllint), real text (pdftotext finds the titles, tick labels, legend
#     names), an embedded subset font (pdffonts), and rasterised at the same
#     size they match the GL still (few pixels apart: antialiasing only);
#   - a multi-page PDF video and a Beamer frame sequence;
#   - physical sizes: the page, and type in points;
#   - refusals and bad paths like PNGs; no GL: works with SDL's dummy video
#     driver and never loads Mesa.
#   vector_cli_test.sh HEADVIZ PNGTOOL
# Skipped (exit 77) when poppler-utils, qpdf, librsvg2-bin or libxml2-utils
# is missing.
set -u
HV=$1
PT=$2
for tool in pdftoppm pdftotext pdffonts pdfinfo pdftocairo qpdf rsvg-convert xmllint; do
  command -v "$tool" >/dev/null || { echo "skip: $tool is not installed"; exit 77; }
done
. "$(dirname "$0")/../lib.sh"
trap 'chmod -R u+rwx "$T"; rm -rf "$T"' EXIT
cd "$T" || exit 1
# at most max_permille of the pixels differ by more than 48 in a channel
near() { # near A B MAX_PERMILLE
  local d n
  read -r d n < <("$PT" diff "$1" "$2" 48) || return 1
  [ -n "$n" ] && [ $((d * 1000)) -le $(($3 * n)) ] || { echo "   $1 vs $2: $d of $n pixels differ"; return 1; }
}

# --- every layout, PDF and SVG, the same as the GL still --------------------------
for lay in side morph models heatmap diff; do
  moment=(--progress 0.45)
  [ $lay = diff ] && moment=()
  "$HV" --layout $lay "${moment[@]}" --size 960x540 --screenshot gl_$lay.png --renderer gl >/dev/null 2>&1
  for fmt in pdf svg; do
    out=$("$HV" --layout $lay "${moment[@]}" --size 960x540 --screenshot v_$lay.$fmt 2>&1); rc=$?
    check "$lay .$fmt: exit 0, says what it wrote" [ $rc -eq 0 -a "$out" = "v_$lay.$fmt (960x540 px, 10 x 5.625 in)" ]
  done
  check "$lay .pdf: qpdf --check" qpdf --check v_$lay.pdf >/dev/null
  check "$lay .svg: well-formed XML" xmllint --noout v_$lay.svg
  pdftoppm -r 96 -png -singlefile v_$lay.pdf r_pdf_$lay
  rsvg-convert -w 960 -h 540 v_$lay.svg -o r_svg_$lay.png
  check "$lay .pdf rasterised = the GL still (within antialiasing)" near gl_$lay.png r_pdf_$lay.png 30
  check "$lay .svg rasterised = the GL still (within antialiasing)" near gl_$lay.png r_svg_$lay.png 30
done
pdftotext v_side.pdf side.txt
# (a title may wrap onto two lines: the lines joined again)
tr -s ' \n' '  ' <side.txt >side1.txt
check "pdftotext finds both titles" grep -q "Top 10 Safety Heads on Undiff Attn." side1.txt
check "... and the second" grep -q "Top 10 Safety Heads on Scaling Cont." side1.txt
check "... tick labels and the colorbar's" grep -qx "70" side.txt
check "... the legend's names" grep -q "Vicuna-7b-v1.5" side.txt
fonts=$(pdffonts v_side.pdf | tail -n +3)
check "pdffonts: DejaVu Sans, embedded, a subset" bash -c "grep -q 'DejaVuSans' <<<'$fonts' && awk '{ if (\$(NF-4) != \"yes\" || \$(NF-3) != \"yes\") bad=1 } END { exit bad }' <<<'$fonts'"
size=$(stat -c %s v_side.pdf)
check "the seed figure's PDF is under 60 KB ($size bytes)" [ "$size" -lt 61440 ]
"$HV" --screenshot seed.svg >/dev/null 2>&1
size=$(stat -c %s seed.svg)
check "the seed figure's SVG is under 150 KB ($size bytes)" [ "$size" -lt 153600 ]
# the colorbar ends are the colormap's ends (viridis) at full zoom
"$HV" --screenshot zoom.pdf --size 960x540 >/dev/null 2>&1
pdftoppm -r 96 -png -singlefile zoom.pdf zoom
"$HV" --screenshot zoom_gl.png --size 960x540 >/dev/null 2>&1
check "a transparent PDF still: the ground has alpha 0" bash -c "'$HV' --screenshot tr.pdf --transparent --size 320x180 >/dev/null 2>&1 && pdftocairo -png -transp -singlefile -r 96 tr.pdf tr && [ \"\$('$PT' px tr.png 1 1 | cut -d' ' -f4)\" = 0 ]"

# --- many pages, frame sequences ------------------------------------------------------------
out=$("$HV" --layout morph --video anim.pdf --frames 12 --fps 24 --size 640x360 2>&1); rc=$?
check "--video anim.pdf: exit 0" [ $rc -eq 0 ]
check "--video anim.pdf: 12 pages" [ "$(pdfinfo anim.pdf | awk '/^Pages:/ {print $2}')" = 12 ]
check "--video anim.pdf: says so" grep -q "^wrote anim.pdf (12 pages, 640x360 px" <<<"$out"
same "--video anim.pdf: the Beamer line for every page" 'LaTeX Beamer (\usepackage{animate}): \animategraphics[controls,loop,width=\textwidth]{24}{anim}{}{}' "$(grep Beamer <<<"$out")"
out=$("$HV" --layout morph --export-frames beamer --format pdf --frames 6 --fps 30 --size 640x360 2>&1); rc=$?
check "--export-frames --format pdf: exit 0" [ $rc -eq 0 ]
check "frame_00000.pdf .. frame_00005.pdf, nothing else" [ "$(cd beamer && ls | tr '\n' ' ')" = "frame_00000.pdf frame_00001.pdf frame_00002.pdf frame_00003.pdf frame_00004.pdf frame_00005.pdf " ]
same "it prints the Beamer line: the folder as given, the text width" 'LaTeX Beamer (\usepackage{animate}): \animategraphics[controls,loop,width=\textwidth]{30}{beamer/frame_}{00000}{00005}' "$(grep Beamer <<<"$out")"
out=$("$HV" --layout morph --export-frames ./beamer2/ --format pdf --frames 2 --fps 30 --size 320x180 2>&1)
same "a trailing slash: one slash in the Beamer line" 'LaTeX Beamer (\usepackage{animate}): \animategraphics[controls,loop,width=\textwidth]{30}{./beamer2/frame_}{00000}{00001}' "$(grep Beamer <<<"$out")"
"$HV" --layout morph --export-frames beamer_svg --format svg --frames 3 --size 320x180 >/dev/null 2>&1
check "--format svg: no Beamer line (animate takes PDF or PNG)" bash -c "! '$HV' --layout morph --export-frames beamer_svg2 --format svg --frames 2 --size 320x180 2>&1 | grep -q Beamer"
check "--format svg: three well-formed SVG frames" xmllint --noout beamer_svg/frame_00000.svg beamer_svg/frame_00001.svg beamer_svg/frame_00002.svg
# frame k of the PDF sequence is the --progress still of its moment
"$HV" --layout morph --export-frames eq --format pdf --frames 31 --fps 10 --hold 1 --transition 2 --size 320x180 >/dev/null 2>&1
"$HV" --layout morph --progress 0.5 --hold 1 --transition 2 --screenshot eq_still.pdf --size 320x180 >/dev/null 2>&1
pdftoppm -r 96 -png -singlefile eq/frame_00020.pdf eq20
pdftoppm -r 96 -png -singlefile eq_still.pdf eqs
check "PDF frame 20 (t = 2 s) == the --progress 0.5 PDF still" "$PT" same eq20.png eqs.png

# --- physical sizes: a one-column figure -----------------------------------------------------
out=$("$HV" --screenshot col.pdf --size 3.5inx2.5in --context paper 2>&1); rc=$?
check "--size 3.5inx2.5in: exit 0, 336x240 px at 96 dpi" [ $rc -eq 0 -a "$out" = "col.pdf (336x240 px, 3.5 x 2.5 in)" ]
check "--size 3.5inx2.5in: a 252 x 180 pt page" grep -q "^Page size: *252 x 180 pts" <<<"$(pdfinfo col.pdf)"
"$HV" --screenshot mm.pdf --size 89mmx64mm >/dev/null 2>&1
check "--size 89mmx64mm: a 252.3 x 181.4 pt page" grep -qE "^Page size: *252\.[0-9]+ x 181\.[0-9]+ pts" <<<"$(pdfinfo mm.pdf)"
# Beamer's slides by name: 16:9 160 x 90 mm (453.54 x 255.12 pt), 4:3 128 x 96 mm
out=$("$HV" --screenshot beamer.pdf --size beamer 2>&1)
same "--size beamer: 160 x 90 mm, 605x340 px at 96 dpi" "beamer.pdf (605x340 px, 6.299 x 3.543 in)" "$out"
check "--size beamer: a 453.54 x 255.12 pt page" grep -q "^Page size: *453\.543 x 255\.118 pts" <<<"$(pdfinfo beamer.pdf)"
"$HV" --screenshot beamer43.pdf --size BEAMER43 >/dev/null 2>&1
check "--size BEAMER43 (any case): a 362.83 x 272.13 pt page" grep -q "^Page size: *362\.835 x 272\.126 pts" <<<"$(pdfinfo beamer43.pdf)"
out=$("$HV" --screenshot b.png --size beamer --dpi 300 2>&1)
same "--size beamer --dpi 300: 1890x1063 px" "b.png (1890x1063)" "$out"
# type in points: tick labels 9 pt (paper), whatever the pixels. poppler's
# box of a word is 0.87 of its font's size for DejaVu Sans digits (9 pt:
# 7.85 pt), so 8..11 pt type gives boxes of 6.9..9.6 pt (titles excluded)
# (the x tick labels: the lowest row of numbers on the page, so a number in a
# wrapped title is not taken for one)
heights=$(pdftotext -bbox col.pdf - | awk -F'"' '/<word/ { w=$0; sub(/.*">/, "", w); sub(/<.*/, "", w); if (w ~ /^[0-9]+$/) print $4, $8 - $4 }' |
  sort -n | awk '{ y[NR] = $1; h[NR] = $2 } END { for (i = 1; i <= NR; i++) if (y[i] == y[NR]) print h[i] }' | sort -n | uniq)
check "paper at 3.5 in: tick labels of 8..11 pt (boxes $(echo $heights | tr '\n' ' ')pt)" \
  awk -v h="$(echo "$heights" | head -1)" -v H="$(echo "$heights" | tail -1)" 'BEGIN { exit !(h >= 6.9 && H <= 9.6) }'
"$HV" --screenshot png300.png --size 3.5inx2.5in --dpi 300 >/dev/null 2>&1
check "--size 3.5inx2.5in --dpi 300 as PNG: 1050x750 pixels" [ "$("$PT" info png300.png)" = "1050 750 3" ]

# --- refusals and bad paths, as for PNGs ----------------------------------------------------------
: >exists.pdf
err=$("$HV" --screenshot exists.pdf 2>&1); rc=$?
check "an existing PDF without --force: exit 2 + message, untouched" [ $rc -eq 2 -a "$err" = "headviz: exists.pdf: file exists; use --force to overwrite" -a ! -s exists.pdf ]
"$HV" --screenshot exists.pdf --force >/dev/null 2>&1
check "--force replaces it" [ -s exists.pdf ]
err=$("$HV" --screenshot /dev/full --size 64x64 2>&1 >/dev/null); rc=$?
check "a PNG into /dev/full: exit 1" [ $rc -eq 1 ]
ln -s /dev/full full.pdf
err=$("$HV" --screenshot full.pdf --size 64x64 2>&1); rc=$?
check "a PDF onto /dev/full: exit 1 + message" [ $rc -eq 1 -a "$err" = "headviz: full.pdf: write failed: No space left on device" ]
mkdir ro && chmod 555 ro
if [ ! -w ro ]; then
  err=$("$HV" --screenshot ro/x.svg 2>&1); rc=$?
  check "a read-only folder: exit 1, nothing written" [ $rc -eq 1 -a -z "$(ls -A ro)" ]
else
  echo "skip read-only folder (running as root)"
fi
err=$("$HV" --screenshot fig.eps 2>&1); rc=$?
check "an unknown extension names the supported ones" [ $rc -eq 2 -a "$err" = 'headviz: --screenshot fig.eps: unknown format ".eps" (supported: .png, .pdf, .svg)' ]
err=$("$HV" --screenshot fig.pdf --format pdf 2>&1); rc=$?
check "--format without --export-frames: exit 2" [ $rc -eq 2 ]
err=$("$HV" --export-frames d --format tiff 2>&1); rc=$?
check "--format tiff: exit 2 + the known ones" [ $rc -eq 2 -a "$err" = 'headviz: --format: unknown frame format "tiff" (known: png, pdf, svg)' ]
"$HV" --screenshot /dev/stdout --size 64x64 >stdout.pdf 2>/dev/null || true
check "a PNG still to /dev/stdout stays PNG (no extension)" [ "$(head -c 4 stdout.pdf | od -An -c | tr -d ' ')" = "211PNG" ]

# --- no GL at all -----------------------------------------------------------------------
out=$(SDL_VIDEODRIVER=dummy "$HV" --screenshot nogl.pdf --layout models --progress 0.5 2>&1); rc=$?
check "SDL_VIDEODRIVER=dummy (no GL possible): the PDF is written" [ $rc -eq 0 -a -s nogl.pdf ]
out=$(SDL_VIDEODRIVER=dummy "$HV" --screenshot nogl.png 2>&1); rc=$?
check "... and a PNG still (drawn on the CPU)" [ $rc -eq 0 -a -s nogl.png ]
err=$(SDL_VIDEODRIVER=dummy "$HV" --screenshot nogl_gl.png --renderer gl 2>&1); rc=$?
check "... where --renderer gl cannot draw one (exit 1, nothing written)" [ $rc -eq 1 -a ! -e nogl_gl.png ]
if command -v strace >/dev/null; then
  strace -f -e trace=openat -o trace.txt "$HV" --screenshot traced.pdf >/dev/null 2>&1
  check "a PDF still never loads Mesa (no swrast, gallium, LLVM, EGL)" bash -c "! grep -qiE 'swrast|gallium|libLLVM|libEGL|libGLX|dri/' trace.txt"
  strace -f -e trace=openat -o trace_png.txt "$HV" --screenshot traced.png >/dev/null 2>&1
  check "nor a PNG still" bash -c "! grep -qiE 'swrast|gallium|libLLVM|libEGL|libGLX|dri/' trace_png.txt"
  check "... while a --renderer gl one does (the check can fail)" bash -c "strace -f -e trace=openat -o trace_gl.txt '$HV' --screenshot traced_gl.png --renderer gl >/dev/null 2>&1; grep -qiE 'swrast|gallium|libLLVM' trace_gl.txt"
else
  echo "skip the Mesa-not-loaded check (strace not installed)"
fi

finish
