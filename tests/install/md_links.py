"""The relative links and images of Markdown files, each checked.

usage: python3 md_links.py FILE.md...   (run in the folder the paths are
relative to). Prints one line per link, "FILE:LINE<TAB>TARGET<TAB>ok" or
the reason it does not resolve: the file (or folder) does not exist, or an
anchor (#slug) names no heading of that Markdown file, slugged as GitHub
does (lower case, punctuation dropped, spaces to hyphens, -1, -2 ... for
repeats; <a name|id="..."> too), or the target lies outside the folder. Links inside code (fenced blocks, `spans`)
are not links; absolute URLs (scheme:) are skipped. Used by docs_links.sh
(the source tree) and install_test.sh / deb_test.sh (an installed copy).
"""
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
            if target == ".." or target.startswith("../"):
                why = "outside the folder"
            elif not os.path.exists(target):
                why = "no such file"
            elif frag and target.endswith(".md") and frag not in anchors_of(target):
                why = "no heading #" + frag
            print("%s:%d\t%s\t%s" % (md, no, t, why))
