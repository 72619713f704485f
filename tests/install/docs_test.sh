#!/usr/bin/env bash
# The manual page and the bash completion against the program (issue 12), so
# that neither drifts from headviz --help:
#   - docs/headviz.1 formats without a groff or man warning;
#   - every --option of --help, and of docs/reference.md and docs/guide.md, is
#     in the rendered page; every option of --help has its row in the
#     reference's options table (and no other option has one); the completion
#     offers exactly --help's options;
#   - the exit codes of the page are those of the reference's table;
#   - for each option with a fixed set of values, the completion offers
#     exactly the values the program accepts (the "known: ..." list of its own
#     error message) and the page names them all in that option's entry;
#   - file arguments complete by extension (any case), folders too: DATA .csv,
#     --spec .ini, --screenshot .png .pdf .svg, --video .mp4 .webm .gif .mov
#     .pdf, --grid's third argument the score files, --export-frames folders.
#   docs_test.sh HEADVIZ SRC_DIR
set -u
HV=$1
SRC=$(cd "$2" && pwd)
PAGE=$SRC/docs/headviz.1
COMP=$SRC/completion/headviz.bash
. "$(dirname "$0")/../lib.sh"
words() { tr ' ' '\n' | grep . | LC_ALL=C sort -u | tr '\n' ' '; }
# complete WORD...: what the completion offers for the command line "headviz
# WORD..." with the cursor at the end of the last word (run in the current
# folder), one offer a line
complete_line() {
  bash -c 'source "$1" || exit 1; shift; COMP_WORDS=(headviz "$@"); COMP_CWORD=$#; _headviz || exit 1
    printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$@"
}

# --- the page formats cleanly --------------------------------------------------------------
for dev in ps ascii utf8; do
  w=$(groff -ww -man -T$dev -z "$PAGE" 2>&1)
  check "groff -ww -man -T$dev -z docs/headviz.1: no warning" [ -z "$w" ]
  [ -n "$w" ] && printf '%s\n' "$w" | sed 's/^/    /'
done
w=$(MANWIDTH=80 man -l -Tutf8 "$PAGE" 2>&1 >/dev/null)
check "man -l -Tutf8: no warning" [ -z "$w" ]
[ -n "$w" ] && printf '%s\n' "$w" | sed 's/^/    /'
# plain text, no hyphenation and long lines: no option is split
txt=$(groff -man -Tascii -rHY=0 -rLL=250n "$PAGE" 2>/dev/null | col -bx)
check "the page renders (NAME, SYNOPSIS, OPTIONS, EXIT STATUS, EXAMPLES)" bash -c '
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS "KEYS AND MOUSE" "FIGURE SPEC" "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    grep -qx "$s" <<<"$1" || exit 1; done' _ "$txt"

# --- options: --help = completion, all in the page --------------------------------------------
help=$("$HV" --help)
help_opts=$(grep -oE -- '--[a-z][a-z-]+' <<<"$help" | words)
check "--help names options ($(wc -w <<<"$help_opts"))" [ "$(wc -w <<<"$help_opts")" -ge 30 ]
missing=""
for o in $help_opts; do grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" <<<"$txt" || missing="$missing $o"; done
same "every option of --help is in the page" "" "$missing"
# ... each with its own entry in OPTIONS (a tag line: "--size WxH", "--help, -h")
entries=$(awk '/^OPTIONS$/ {on = 1; next} /^[A-Z]/ {on = 0} on' <<<"$txt" |
  grep -oE -- '^       --[a-z][a-z-]*(, --?[a-z][a-z-]*)*' | grep -oE -- '--[a-z][a-z-]*' | words)
missing=""
for o in $help_opts; do [[ " $entries" == *" $o "* ]] || missing="$missing $o"; done
same "every option of --help has an entry in OPTIONS" "" "$missing"
same "... and no entry is for an option --help does not name" "$help_opts" "$entries"
# docs/reference.md (the reference the README links) and the user guide: the
# options they name are the program's and in the page; every option of --help
# is in the reference, with a row of its own in its options table
REF=$SRC/docs/reference.md
# (the guide's Getting started and Install name cmake's and apt's options: not its)
doc_opts=$({ cat "$REF"; awk '/^## (Getting started|Install)$/ {skip = 1; next} /^## / {skip = 0} !skip' "$SRC/docs/guide.md"; } |
  grep -oE -- '--[a-z][a-z-]+' | grep -vx -- --option | words)
check "docs/reference.md and docs/guide.md name options ($(wc -w <<<"$doc_opts"))" [ "$(wc -w <<<"$doc_opts")" -ge 30 ]
missing=""
for o in $doc_opts; do grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" <<<"$txt" || missing="$missing $o"; done
same "every option of docs/reference.md and docs/guide.md is in the page" "" "$missing"
ref_rows=$(grep -E '^\| `--' "$REF" | cut -d'|' -f2 | grep -oE -- '--[a-z][a-z-]*' | words)
missing=""
for o in $help_opts; do [[ " $ref_rows" == *" $o "* ]] || missing="$missing $o"; done
same "every option of --help has a row in docs/reference.md's options table" "" "$missing"
same "... and no row is for an option --help does not name" "$help_opts" "$ref_rows"
same "the completion offers exactly --help's options" "$help_opts" "$(complete_line -- | words)"
same "... those starting with --e" "--easing --estimate --export-frames --extent " "$(complete_line --e | words)"
for code in 0 1 2 130; do
  check "EXIT STATUS: $code" bash -c 'awk "/^EXIT STATUS/ {on = 1; next} /^[A-Z]/ {on = 0} on" <<<"$1" | grep -qE "^ +$2( |\$)"' _ "$txt" "$code"
done
ref_codes=$(awk '/^### Exit codes/ {on = 1; next} /^#/ {on = 0} on' "$REF" | grep -oE '^\| [0-9]+ \|' | tr -dc '0-9\n' | words)
same "docs/reference.md's exit codes: 0 1 2 130" "0 1 130 2 " "$ref_codes"

# --- values: what the program accepts = what the completion offers, all in the page -----------
# the entry of OPTION in the rendered page: its tag line up to the next option's
entry() { awk -v o="$1" 'index($0, "       " o " ") == 1 || $0 == "       " o {on = 1; print; next}
  on && /^       [^ ]/ {exit} on' <<<"$txt"; }
for o in --layout --colormap --context --easing --legend --match --theme --reduce --format --rank-by --renderer --preset --orientation --facets; do
  msg=$("$HV" "$o" bogus-value 2>&1 >/dev/null)
  case $msg in
  *"(known: "*) known=${msg##*(known: }; known=${known%)} ;;
  *"expected "*" or "*) known=${msg#*expected }; known=${known%%, got*}; known=${known// or /, } ;;
  *) known="" ;;
  esac
  check "$o: the program names what it accepts ($known)" [ -n "$known" ]
  [ -n "$known" ] || echo "    its message: $msg"
  # a legend place holds a space (offered as upper\ right): compared with "~" for it
  k=$(tr ',' '\n' <<<"$known" | sed 's/^ *//; s/ *$//; s/ /~/g' | words)
  offered=$(complete_line "$o" "" | sed 's/\\ /~/g' | words)
  same "$o: the completion offers exactly those" "$k" "$offered"
  same "$o=: the same after =" "$offered" "$(complete_line "$o" "=" | sed 's/\\ /~/g' | words)"
  e=$(entry "$o")
  missing=""
  for v in $k; do grep -qF -- "${v//\~/ }" <<<"$e" || missing="$missing ${v//\~/ }"; done
  check "$o: its entry in the page names every value${missing:+ (missing:$missing)}" [ -n "$e" -a -z "$missing" ]
done
# --size: the named sizes the program accepts (from its message) are offered
# and in the page's entry
msg=$("$HV" --size bogus-value 2>&1 >/dev/null)
named=$(grep -oE '[a-z0-9]+ \([0-9]+x[0-9]+ mm\)' <<<"$msg" | cut -d' ' -f1 | words)
same "--size: the program names its named sizes" "beamer beamer43 " "$named"
missing=""
for v in $named; do
  complete_line --size "" | grep -qx -- "$v" || missing="$missing $v"
  entry --size | grep -qw -- "$v" || missing="$missing $v(page)"
  "$HV" --size "$v" --help >/dev/null 2>&1 || missing="$missing $v(refused)"
done
same "--size: each named size accepted, offered by the completion and in the page" "" "$missing"
same "--layout m: morph, models" "models morph " "$(complete_line --layout m | words)"
same "--legend upper: the places, a backslash before the space" 'upper\~left upper\~right ' \
  "$(complete_line --legend upper | sed 's/ /~/g' | words)"

# --- file arguments by extension ------------------------------------------------------------
mkdir -p "$T/f/sub dir" && cd "$T/f" || exit 1
touch a.csv B.CSV c.ini d.png e.PDF f.svg g.mp4 h.webm i.gif j.mov k.txt l.json m.jsonl n.npy o.npz \
  p.safetensors q.ttf r.otf s.ndjson
same "DATA: .csv (any case) and folders" "B.CSV a.csv sub_dir " "$(complete_line "" | sed 's/ /_/g' | words)"
same "--spec: .ini" "c.ini sub_dir " "$(complete_line --spec "" | sed 's/ /_/g' | words)"
same "--screenshot: .png .pdf .svg" "d.png e.PDF f.svg sub_dir " "$(complete_line --screenshot "" | sed 's/ /_/g' | words)"
same "--video: .mp4 .webm .gif .mov .pdf" "e.PDF g.mp4 h.webm i.gif j.mov sub_dir " "$(complete_line --video "" | sed 's/ /_/g' | words)"
same "--grid M C FILE: the score files" "k.txt l.json m.jsonl n.npy o.npz p.safetensors s.ndjson sub_dir " \
  "$(complete_line --grid M C "" | sed 's/ /_/g' | words)"
same "--grid MODEL CONDITION: nothing to offer" "" "$(complete_line --grid M "" | words)"
same "--export-frames: folders" "sub_dir " "$(complete_line --export-frames "" | sed 's/ /_/g' | words)"
same "--font: .ttf .otf" "q.ttf r.otf sub_dir " "$(complete_line --font "" | sed 's/ /_/g' | words)"
same "--screenshot=: after = as well" "d.png e.PDF f.svg sub_dir " "$(complete_line --screenshot = | sed 's/ /_/g' | words)"
same "a number: nothing to offer (--fps)" "" "$(complete_line --fps "" | words)"
same "after a value, DATA again" "B.CSV a.csv sub_dir " "$(complete_line --layout morph "" | sed 's/ /_/g' | words)"

finish
