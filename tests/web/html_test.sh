#!/bin/sh
# headviz --html: the same messages, exit codes and atomic writes as every
# other output. usage: html_test.sh HEADVIZ WORKDIR HAVE_WEB(0|1)
HV=$1
HAVE_WEB=$3
. "$(dirname "$0")/../lib.sh"

run() { # run ARGS...: sets $rc and $err (stderr), stdout in $out
  out=$("$HV" "$@" 2>"$T/err")
  rc=$?
  err=$(cat "$T/err")
}

run --html "$T/fig.html" --screenshot "$T/x.png"
same "--html with --screenshot: usage, exit 2" "2 headviz: --html writes a page that plays the figure; it is exclusive with --screenshot, --export-frames and --video: pick one" "$rc $err"
run --html "$T/fig.txt"
same "--html FILE.txt: unknown format, exit 2" "2 headviz: --html $T/fig.txt: unknown format \".txt\" (a web page is FILE.html or FILE.htm)" "$rc $err"
run "$T/missing.csv" --html "$T/fig.html"
run2_err=$("$HV" "$T/missing.csv" --screenshot "$T/x.png" 2>&1 >/dev/null)
same "bad input: the message --screenshot gives, exit 2" "2 $run2_err" "$rc $err"
check "bad input: nothing written" test ! -e "$T/fig.html"

# --html-fragment: the same checks, its own name in the messages
run --html-fragment "$T/frag.html" --video "$T/x.mp4"
same "--html-fragment with --video: usage, exit 2" "2 headviz: --html-fragment writes a page fragment that plays the figure; it is exclusive with --screenshot, --export-frames and --video: pick one" "$rc $err"
run --html "$T/fig.html" --html-fragment "$T/frag.html"
same "--html and --html-fragment: usage, exit 2" "2 headviz: --html and --html-fragment are exclusive: pick one" "$rc $err"
run --html-fragment "$T/frag"
same "--html-fragment FILE without extension: exit 2" "2 headviz: --html-fragment $T/frag: no file extension: an HTML fragment is FILE.html" "$rc $err"
run "$T/missing.csv" --html-fragment "$T/frag.html"
same "--html-fragment, bad input: the message --screenshot gives, exit 2" "2 $run2_err" "$rc $err"
check "--html-fragment, bad input: nothing written" test ! -e "$T/frag.html"

if [ "$HAVE_WEB" != 1 ]; then
  run --html "$T/fig.html"
  same "a build without the web player says so, exit 1" "1 headviz: --html: this headviz was built without the web player; rebuild it with Debian's emscripten installed (apt install emscripten)" "$rc $err"
  run --html-fragment "$T/frag.html"
  same "and for a fragment, exit 1" "1 headviz: --html-fragment: this headviz was built without the web player; rebuild it with Debian's emscripten installed (apt install emscripten)" "$rc $err"
  finish
  exit
fi

run --html "$T/fig.html"
check "--html writes the page (exit 0)" test "$rc" = 0 -a -s "$T/fig.html"
same "it says what it wrote" "$T/fig.html ($(( ($(stat -c %s "$T/fig.html") + 1023) / 1024 )) KB, one self-contained page)" "$out"
check "the page holds the data, the wasm and no external URL" \
  sh -c "grep -q 'id=\"headviz-data\">headviz-page 1' '$T/fig.html' && grep -q 'data:application/octet-stream;base64,' '$T/fig.html' && ! grep -Eq '(src|href)=\"(https?:)?//' '$T/fig.html'"
check "no placeholder is left" sh -c "! grep -q '@@HEADVIZ_' '$T/fig.html'"
check "the page's title is the figure's" grep -q '<title>Top 10 Safety Heads on Undiff Attn.</title>' "$T/fig.html"
same "Latin text: no warning, no fallback font in the page" "0 " "$(grep -c '^font	' "$T/fig.html") $err"
check "the seed's page stays under 600 KB" test "$(stat -c %s "$T/fig.html")" -le 614400
# a page draws nothing here: the window's fonts are never loaded (their
# thread ran fontconfig beside the fallback-font search of the page's
# strings, a race ThreadSanitizer reported); the seed's Latin page needs no
# font at all (under strace, leak detection off: LeakSanitizer cannot run
# under ptrace)
if command -v strace >/dev/null && strace -qq -e trace=none true 2>/dev/null; then
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -qq -e trace=open,openat -o "$T/trace" "$HV" --html "$T/traced.html" >/dev/null 2>&1
  same "--html loads no font and no fontconfig (the seed's page)" "0" \
    "$(grep -cE '\.(ttf|otf|ttc)"|fonts\.conf"' "$T/trace")"
else
  echo "skip: --html loads no font (strace is not installed or cannot trace here)"
fi

# names in other scripts: fallback fonts cut to their characters (the CJK
# one, DejaVu's Cyrillic); a character no installed font has (U+16A0, in a
# model name and a condition name, several times) warned about once
Q='Qwen2-7B-Instruct（通义千问·Zürich）'
M='Мистраль-7B Инструкт'
printf 'model,condition,layer,head,score\n%s,A,1,2,3\n%s,A,3,4,5\n%s,A,2,2,4\n%s,ᚠ B,5,1,2\nrune ᚠ,A,4,3,1\n' \
  "$Q" "$Q" "$M" "$M" >"$T/names.csv"
run "$T/names.csv" --html "$T/names.html"
same "a rune no font has: warned once, naming it and the first text it is in" \
  '0 headviz: warning: no installed font has U+16A0 "ᚠ" (in "rune ᚠ"): drawn as a box' "$rc $err"
check "the names page carries two fallback fonts" test "$(grep -c '^font	' "$T/names.html")" = 2
# a long title in CJK (the page holds it twice): the page is whole
C='条件甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥'
printf 'model,condition,layer,head,score\n%s,%s,1,2,3\n' "$Q" "$C" >"$T/cjk.csv"
run "$T/cjk.csv" --html "$T/cjk.html"
check "a CJK title of 24 characters: exit 0, the title twice, the page whole" sh -c \
  "test $rc = 0 && grep -qF '<title>Top 1 Heads on $C</title>' '$T/cjk.html' && test \$(grep -cF 'aria-label=\"Top 1 Heads on $C' '$T/cjk.html') = 1 && tail -c 40 '$T/cjk.html' | grep -q '</body></html>'"
kb=$(( ($(stat -c %s "$T/names.html") - $(stat -c %s "$T/fig.html") + 1023) / 1024 ))
check "they are cut to the names' characters: $kb KB more than the seed's page (at most 40)" test "$kb" -le 40
cp "$T/fig.html" "$T/before.html"
run --html "$T/fig.html" --theme dark
same "an existing page without --force: exit 2" "2 headviz: $T/fig.html: file exists; use --force to overwrite" "$rc $err"
check "and it is left as it was" cmp -s "$T/fig.html" "$T/before.html"
run --html "$T/fig.html" --theme dark --force
check "--force replaces it" sh -c "test $rc = 0 && ! cmp -s '$T/fig.html' '$T/before.html'"
run --html "$T/nofolder/fig.html"
same "a missing folder: exit 2" "2 headviz: $T/nofolder/fig.html: folder \"$T/nofolder\" does not exist" "$rc $err"
run --html /dev/full
same "a full disk: write failed, exit 1" "1 headviz: /dev/full: write failed: No space left on device" "$rc $err"
check "no temporary is left behind" sh -c "! ls -A '$T' | grep -q headviz-"

run --html-fragment "$T/frag.html"
check "--html-fragment writes the fragment (exit 0)" test "$rc" = 0 -a -s "$T/frag.html"
same "it says what it wrote" "$T/frag.html ($(( ($(stat -c %s "$T/frag.html") + 1023) / 1024 )) KB, an HTML fragment: paste or include it in a page, with others)" "$out"
check "a fragment: one element holding its data, the wasm and no page around it" \
  sh -c "head -n 1 '$T/frag.html' | grep -qx '<div class=\"headviz-figure\" data-keys=\"focus\">' && tail -n 1 '$T/frag.html' | grep -qx '</div>' && grep -q 'class=\"headviz-data\">headviz-page 1' '$T/frag.html' && grep -q 'data:application/octet-stream;base64,' '$T/frag.html' && ! grep -Eiq '<(html|head|body|title)[ >]|<!doctype' '$T/frag.html'"
check "no placeholder is left in it" sh -c "! grep -q '@@HEADVIZ_' '$T/frag.html'"
cp "$T/frag.html" "$T/frag_before.html"
run --html-fragment "$T/frag.html" --theme dark
same "an existing fragment without --force: exit 2" "2 headviz: $T/frag.html: file exists; use --force to overwrite" "$rc $err"
check "and it is left as it was" cmp -s "$T/frag.html" "$T/frag_before.html"
run --html-fragment "$T/frag.html" --theme dark --force
check "--force replaces it" sh -c "test $rc = 0 && ! cmp -s '$T/frag.html' '$T/frag_before.html'"
run --html-fragment "$T/nofolder/frag.html"
same "a fragment in a missing folder: exit 2" "2 headviz: $T/nofolder/frag.html: folder \"$T/nofolder\" does not exist" "$rc $err"
run --html-fragment /dev/full
same "a fragment to a full disk: write failed, exit 1" "1 headviz: /dev/full: write failed: No space left on device" "$rc $err"
check "no temporary is left behind" sh -c "! ls -A '$T' | grep -q headviz-"
finish
