#!/usr/bin/env bash
# Makes docs/gallery/: the seed at one and two columns (PDF and 300-dpi PNG),
# five models x three conditions (tests/data/study) as heatmap, diff and
# models at 7 x 5 in, 1920x1080 and 640x360, the talk context at 1280x720;
# beside each, the same data drawn by matplotlib's constrained layout
# (bench/matplotlib_gallery.py), and docs/gallery/README.md with the command
# under every picture.
#   bash scripts/gallery.sh [HEADVIZ]     (default: build/headviz)
set -euo pipefail
cd "$(dirname "$0")/.."
hv=${1:-build/headviz}
[ -x "$hv" ] || { echo "gallery: $hv is not built (cmake --build build)" >&2; exit 1; }
/usr/bin/python3 -c 'import matplotlib, numpy' 2>/dev/null ||
  { echo "gallery: /usr/bin/python3 needs matplotlib and numpy (apt-get install python3-matplotlib)" >&2; exit 1; }
out=docs/gallery
mkdir -p "$out"
export SDL_VIDEODRIVER=offscreen
study=tests/data/study
md=$out/README.md.tmp
cat >"$md" <<'MD'
# Gallery

Every picture here is made by `bash scripts/gallery.sh` from the bundled data
(`assets/safety_heads.csv`) and a five-model, three-condition study with long
and non-ASCII names (`tests/data/study`, written by
`tests/data/make_study.py`: a 40 x 40 Llama-2-13b, a 32 x 32 Mistral with 8
key-value heads, a 28 x 28 Qwen2, a 42 x 16 gemma-2 and an 80 x 64
Llama-2-70b). Beside each, the same data drawn by matplotlib with
`layout="constrained"` (`bench/matplotlib_gallery.py`), for comparison.
The command under each picture made it.

MD
# entry NAME TITLE KIND MPL_DATA W_IN H_IN DPI TICK_PT HEADVIZ-ARGS...
entry() {
  local name=$1 title=$2 kind=$3 data=$4 w=$5 h=$6 dpi=$7 tick=$8
  shift 8
  "$hv" "$@" --screenshot "$out/$name.png" --force >/dev/null
  /usr/bin/python3 bench/matplotlib_gallery.py "$kind" "$data" "$out/${name}_matplotlib.png" "$w" "$h" "$dpi" "$tick"
  local shown=()
  for a in "$@"; do
    case $a in *' '*) shown+=("\"$a\"") ;; *) shown+=("$a") ;; esac
  done
  {
    echo "## $title"
    echo
    echo "| headviz | matplotlib (constrained layout) |"
    echo "|---|---|"
    echo "| ![$title: headviz]($name.png) | ![$title: matplotlib](${name}_matplotlib.png) |"
    echo
    echo '```'
    echo "headviz ${shown[*]} --screenshot $name.png"
    echo '```'
    echo
  } >>"$md"
}
entry seed_3.5in "The seed, one column (3.5 x 2.5 in, paper)" seed assets/safety_heads.csv 3.5 2.5 300 6 \
  assets/safety_heads.csv --size 3.5inx2.5in --dpi 300 --context paper
"$hv" assets/safety_heads.csv --size 3.5inx2.5in --context paper --screenshot "$out/seed_3.5in.pdf" --force >/dev/null
entry seed_7in "The seed, two columns (7 x 3.5 in, paper)" seed assets/safety_heads.csv 7 3.5 300 8 \
  assets/safety_heads.csv --size 7inx3.5in --dpi 300 --context paper
"$hv" assets/safety_heads.csv --size 7inx3.5in --context paper --screenshot "$out/seed_7in.pdf" --force >/dev/null
echo "PDF: [seed_3.5in.pdf](seed_3.5in.pdf), [seed_7in.pdf](seed_7in.pdf) (the same commands with \`.pdf\`)." >>"$md"
echo >>"$md"
for layout in heatmap diff models; do
  entry ${layout}_7in "$layout, 7 x 5 in (paper, 200 dpi)" $layout $study 7 5 200 7 \
    --spec $study/study.ini --layout $layout --size 7inx5in --dpi 200 --context paper
  entry ${layout}_1920x1080 "$layout, 1920x1080" $layout $study 19.2 10.8 100 10 \
    --spec $study/study.ini --layout $layout --size 1920x1080
  entry ${layout}_640x360 "$layout, 640x360" $layout $study 6.4 3.6 100 8 \
    --spec $study/study.ini --layout $layout --size 640x360
done
entry heatmap_talk_1280x720 "heatmap, talk context, 1280x720" heatmap $study 12.8 7.2 100 15 \
  --spec $study/study.ini --layout heatmap --size 1280x720 --context talk
mv "$md" "$out/README.md"
echo "gallery: wrote $(ls "$out" | wc -l) files in $out"
