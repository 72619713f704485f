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
. "$(dirname "$0")/../lib.sh"
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
links=$(cd "$SRC" && python3 - README.md docs/*.md <<'PY'
import os, re, sys, urllib.parse
def slug(h):
    h = re.sub(r"<[^>]+>", "", h).strip().lower()
    h = re.sub(r"[^\w\- ]", "", h)
    return h.replace(" ", "-")
anchors = {}
def anchors_of(path):
    if path not in anchors:
        seen, out, fence = {}, set(), False
        for ln in open(path, encoding="utf-8"):
            if ln.startswith("```"):
                fence = not fence
            m = None if fence else re.match(r"(#{1,6}) +(.*?) *#* *$", ln.rstrip("\n"))
            if m:
                s = slug(m.group(2).replace("`", ""))
                n = seen.get(s, 0)
                seen[s] = n + 1
                out.add(s if n == 0 else "%s-%d" % (s, n))
        for a in re.findall(r'<a (?:name|id)="([^"]+)"', open(path, encoding="utf-8").read()):
            out.add(a)
        anchors[path] = out
    return anchors[path]
for md in sys.argv[1:]:
    fence = False
    for no, ln in enumerate(open(md, encoding="utf-8"), 1):
        if ln.startswith("```"):
            fence = not fence
            continue
        if fence:
            continue
        ln = re.sub(r"`[^`]*`", "", ln)
        for t in re.findall(r"\]\(([^)\s]+)(?: \"[^\"]*\")?\)", ln) + re.findall(r'(?:src|href)="([^"]+)"', ln):
            if re.match(r"[a-z][a-z0-9+.-]*:", t):
                continue
            path, _, frag = t.partition("#")
            target = os.path.normpath(os.path.join(os.path.dirname(md), urllib.parse.unquote(path))) if path else md
            why = "ok"
            if not os.path.exists(target):
                why = "no such file"
            elif frag and target.endswith(".md") and frag not in anchors_of(target):
                why = "no heading #" + frag
            print("%s:%d\t%s\t%s" % (md, no, t, why))
PY
)
check "links found in README.md and docs/*.md ($(grep -c . <<<"$links"))" [ "$(grep -c . <<<"$links")" -ge 40 ]
same "every relative link and image resolves (file:line target why)" "" "$(grep -v $'\tok$' <<<"$links")"
check "... anchors checked ($(grep -c '#' <<<"$links"))" [ "$(grep -c '#' <<<"$links")" -ge 20 ]
finish
