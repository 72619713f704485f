#!/usr/bin/env bash
# Vector files through the vector backend alone (vector_tool links no SDL and
# no GL): embedded subset fonts, searchable text, valid PDF and SVG, page
# counts, streams, and the write errors (a full device, a full disk, an
# existing file, a missing or read-only folder) with their one-line messages.
# usage: vector_test.sh VECTOR_TOOL
set -u
VT=$1
. "$(dirname "$0")/../lib.sh"
trap 'chmod -R u+rwx "$T" 2>/dev/null; umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
for tool in pdffonts pdftotext pdfinfo qpdf xmllint fc-match; do
  command -v $tool >/dev/null || { echo "skip: $tool is not installed (bash scripts/setup.sh installs it)"; exit 77; }
done
FONT=$(fc-match -f '%{file}' 'DejaVu Sans')
[ -f "$FONT" ] || { echo "FAIL no DejaVu Sans font file (fonts-dejavu-core)"; exit 1; }
no_tmp() { [ -z "$(find "$1" -maxdepth 1 -name '.*.tmp')" ]; }
gone() { [ ! -e "$1" ] && no_tmp "$(dirname "$1")"; } # nothing under the name, no temporary beside it

# --- no GL, no SDL --------------------------------------------------------------
check "vector_tool links no SDL, GL, EGL or epoxy" bash -c "! ldd '$VT' | grep -Eq 'SDL|libGL|libEGL|epoxy'"

# --- the seed figure as PDF -------------------------------------------------------
"$VT" --font "$FONT" "$T/seed.pdf" 2>"$T/err"; rc=$?
check "seed.pdf: exit 0 (and no GL/SDL library loaded)" [ $rc -eq 0 -a ! -s "$T/err" ]
check "seed.pdf: qpdf --check finds no errors" bash -c "qpdf --check '$T/seed.pdf' | grep -q 'No syntax or stream encoding errors found'"
fonts=$(pdffonts "$T/seed.pdf" | tail -n +3)
echo "$fonts" | sed 's/^/     /'
check "pdffonts: one font" [ "$(echo "$fonts" | grep -c .)" -eq 1 ]
check "pdffonts: DejaVu Sans, subset-tagged" grep -Eq '^[A-Z]{6}\+DejaVuSans ' <<<"$fonts"
# columns from the right: emb sub uni object-id generation
check "pdffonts: embedded yes, subset yes" bash -c "awk '{ print \$(NF-4), \$(NF-3) }' <<<'$fonts' | grep -qx 'yes yes'"
text=$(pdftotext "$T/seed.pdf" -)
# (a title may wrap onto two lines: the lines joined again)
joined=$(tr -s ' \n' '  ' <<<"$text")
for s in "Top 10 Safety Heads on Undiff Attn." "Top 10 Safety Heads on Scaling Cont." "Generalized Ships" \
  "Layer" "Head" "Llama-2-7b-chat" "Vicuna-7b-v1.5"; do
  check "pdftotext finds \"$s\"" grep -qF "$s" <<<"$joined"
done
for t in 0 2 14 28 30 10 20 50 70 5 15; do
  check "pdftotext finds the tick label $t" grep -qx "$t" <<<"$(tr -s ' \n' '\n' <<<"$text")"
done
info=$(pdfinfo "$T/seed.pdf")
check "pdfinfo: 1 page of 720 x 405 pt (960x540 px at 96 px/in)" \
  bash -c "grep -q '^Pages: *1$' <<<'$info' && grep -q '^Page size: *720 x 405 pts' <<<'$info'"
check "pdfinfo: made by headviz" grep -q '^Creator: *headviz' <<<"$info"

# --- SVG -----------------------------------------------------------------------------
"$VT" --font "$FONT" "$T/seed.svg" 2>"$T/err"; rc=$?
check "seed.svg: exit 0" [ $rc -eq 0 -a ! -s "$T/err" ]
check "seed.svg: xmllint --noout accepts it" xmllint --noout "$T/seed.svg"
check "seed.svg: 720pt x 405pt" grep -q 'width="720pt" height="405pt"' "$T/seed.svg"
check "seed.svg: text as glyph outlines" grep -q '<symbol overflow="visible" id="glyph' "$T/seed.svg"

# --- the same bytes on every run (PDF: with SOURCE_DATE_EPOCH fixing its date) ---
SOURCE_DATE_EPOCH=1700000000 "$VT" --font "$FONT" "$T/r1.pdf"
SOURCE_DATE_EPOCH=1700000000 "$VT" --font "$FONT" "$T/r2.pdf"
"$VT" --font "$FONT" "$T/r1.svg" && "$VT" --font "$FONT" "$T/r2.svg"
check "two runs: byte-identical PDFs and SVGs" bash -c "cmp -s '$T/r1.pdf' '$T/r2.pdf' && cmp -s '$T/r1.svg' '$T/r2.svg'"
check "SOURCE_DATE_EPOCH is the PDF's date" grep -q '^CreationDate: *Tue Nov 14 22:13:20 2023' <<<"$(TZ=UTC pdfinfo "$T/r1.pdf")"

# --- pages ---------------------------------------------------------------------------
"$VT" --font "$FONT" --pages 5 "$T/morph.pdf"
check "5 pages: pdfinfo says 5" grep -q '^Pages: *5$' <<<"$(pdfinfo "$T/morph.pdf")"
check "5 pages: qpdf --check" bash -c "qpdf --check '$T/morph.pdf' >/dev/null"
err=$("$VT" --font "$FONT" --pages 2 "$T/two.svg" 2>&1); rc=$?
check "SVG with 2 pages: refused, one line" [ $rc -eq 1 -a "$err" = "vector_tool: $T/two.svg: an SVG file holds one page" ]
check "SVG with 2 pages: nothing left" gone "$T/two.svg"

# --- transparency ---------------------------------------------------------------------
"$VT" --font "$FONT" --transparent "$T/tr.pdf" && "$VT" --font "$FONT" --transparent "$T/tr.svg"
check "transparent: both written" [ -s "$T/tr.pdf" -a -s "$T/tr.svg" ]

# --- text needs a font ----------------------------------------------------------------
err=$("$VT" "$T/nofont.pdf" 2>&1); rc=$?
check "no font for text: exit 1 + message" [ $rc -eq 1 -a "$err" = "vector_tool: $T/nofont.pdf: the draw list has text but no font was given" ]
check "no font: nothing written" gone "$T/nofont.pdf"
err=$("$VT" --font "$T/seed.svg" "$T/badfont.pdf" 2>&1); rc=$?
check "not a font: exit 1 + message" [ $rc -eq 1 -a "$err" = "vector_tool: $T/seed.svg: not a font file FreeType can read (error 2)" ]
check "not a font: nothing written" gone "$T/badfont.pdf"
err=$("$VT" --font "$T/missing.ttf" "$T/badfont.pdf" 2>&1); rc=$?
check "no font file: exit 1 + message" [ $rc -eq 1 -a "$err" = "vector_tool: $T/missing.ttf: cannot read font file: No such file or directory" ]

# --- streams: /dev/stdout to a file and to a pipe ----------------------------------------
"$VT" --font "$FONT" --format pdf /dev/stdout >"$T/stdout.pdf"
check "/dev/stdout > file: a valid PDF" bash -c "qpdf --check '$T/stdout.pdf' >/dev/null"
"$VT" --font "$FONT" --format svg /dev/stdout | xmllint --noout -; rc=${PIPESTATUS[1]}
check "/dev/stdout | xmllint: a valid SVG" [ "$rc" -eq 0 ]

# --- write errors -------------------------------------------------------------------------
for f in pdf svg; do
  err=$("$VT" --font "$FONT" --format $f /dev/full 2>&1); rc=$?
  check "/dev/full ($f): exit 1 + message" [ $rc -eq 1 -a "$err" = "vector_tool: /dev/full: write failed: No space left on device" ]
done
check "/dev/full is still a device" [ -c /dev/full ]

echo keep >"$T/exists.pdf"
err=$("$VT" --font "$FONT" "$T/exists.pdf" 2>&1); rc=$?
check "existing file: exit 2 + message" [ $rc -eq 2 -a "$err" = "vector_tool: $T/exists.pdf: file exists; use --force to overwrite" ]
check "existing file: untouched" [ "$(cat "$T/exists.pdf")" = keep ]
"$VT" --font "$FONT" --force "$T/exists.pdf"
check "--force: replaced by a PDF" bash -c "head -c 5 '$T/exists.pdf' | grep -q '%PDF-'"

err=$("$VT" --font "$FONT" "$T/nope/fig.pdf" 2>&1); rc=$?
check "missing folder: exit 2 + message" [ $rc -eq 2 -a "$err" = "vector_tool: $T/nope/fig.pdf: folder \"$T/nope\" does not exist" ]
check "no temporary files left in the test folder" no_tmp "$T"

# read-only folder; root writes anywhere, so as root run as "nobody"
mkdir "$T/ro"
chmod 555 "$T/ro"
as=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$T"
  if command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$VT" -a -r "$FONT" 2>/dev/null; then
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  fi
fi
if [ "$(id -u)" = 0 ] && [ ${#as[@]} -eq 0 ]; then
  echo "skip read-only folder (root, and cannot run as nobody)"
else
  err=$("${as[@]}" "$VT" --font "$FONT" "$T/ro/fig.pdf" 2>&1); rc=$?
  check "read-only folder: exit 1 + message" [ $rc -eq 1 -a "$err" = "vector_tool: $T/ro/fig.pdf: cannot write: Permission denied" ]
  check "read-only folder: left empty" [ -z "$(ls -A "$T/ro")" ]
fi

# a full disk: a small tmpfs filled up to 16 KB free, when this machine lets us mount one
mkdir -p "$T/small"
if mount -t tmpfs -o size=256k tmpfs "$T/small" 2>/dev/null; then
  dd if=/dev/zero of="$T/small/fill" bs=4k 2>/dev/null
  truncate -s -16k "$T/small/fill"
  for f in pdf svg; do
    err=$("$VT" --font "$FONT" "$T/small/fig.$f" 2>&1); rc=$?
    check "full disk ($f): exit 1 + message" [ $rc -eq 1 -a "$err" = "vector_tool: $T/small/fig.$f: write failed: No space left on device" ]
    check "full disk ($f): nothing under the final name, no temporary" gone "$T/small/fig.$f"
  done
  umount "$T/small"
else
  echo "skip full-disk case (cannot mount a tmpfs here)"
fi

finish
