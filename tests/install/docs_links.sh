#!/usr/bin/env bash
# The README a newcomer reads and the manual it links (issue 22):
#   - README.md is at most 16384 bytes;
#   - every relative link and image in README.md and docs/*.md resolves: the
#     file (or folder) exists in the source tree, and an anchor (#slug) names a
#     heading of that Markdown file, slugged as GitHub does (lower case,
#     punctuation dropped, spaces to hyphens, -1, -2 ... for repeats); links
#     inside code (fenced blocks, `spans`) are not links;
#   - the README links the user guide, the reference, the gallery and the
#     development notes, and shows its pictures.
#   docs_links.sh SRC_DIR
set -u
SRC=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
size=$(wc -c <"$SRC/README.md")
check "README.md is at most 16384 bytes ($size)" [ "$size" -le 16384 ]
for f in docs/guide.md docs/reference.md docs/development.md docs/gallery/README.md; do
  check "README.md links $f" grep -qF "]($f" "$SRC/README.md"
done
for f in docs/headviz.png docs/headviz-morph.png; do
  check "README.md shows $f" grep -qF "]($f)" "$SRC/README.md"
done
check "README.md shows a heatmap" grep -qE '\]\(docs/(headviz-heatmap|gallery/heatmap_[0-9x]+)\.png\)' "$SRC/README.md"
# one line per link: "FILE<TAB>TARGET<TAB>ok|why"
links=$(cd "$SRC" && python3 "$HERE/md_links.py" README.md docs/*.md)
check "links found in README.md and docs/*.md ($(grep -c . <<<"$links"))" [ "$(grep -c . <<<"$links")" -ge 40 ]
same "every relative link and image resolves (file:line target why)" "" "$(grep -v $'\tok$' <<<"$links")"
check "... anchors checked ($(grep -c '#' <<<"$links"))" [ "$(grep -c '#' <<<"$links")" -ge 20 ]
finish
