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
