#!/usr/bin/env bash
# Command-line tests of headviz: messages, exit codes and files left behind.
#
#   bash tests/cli/cli_test.sh PATH/TO/headviz [errors|output|robust|fuzz|all]
#
# Every error case runs headviz with --screenshot into an empty folder and
# checks the exit code, that stderr is exactly the one line
# "headviz: <message>" (whole string, not a substring), that stdout is empty
# and that the folder is still empty (no PNG, no stray temporary file).
# Success cases check the PNG itself (signature and IHDR width/height).
# The fuzz group feeds deterministic random and mutated files (fixed seeds):
# each run must exit 0 or 2, never 1 or a signal.
#
# Prints one line per case ("ok ..." or "FAIL ..." with expected vs got) and
# ends with exactly "N passed, N failed"; exits 1 if any case failed.
# HV_CLI_KEEP=1 keeps the temporary folder (its path is printed) for a look.
set -u

HV=${1:-}
GROUP=${2:-all}
if [ -z "$HV" ] || [ ! -x "$HV" ]; then
    echo "usage: $0 PATH/TO/headviz [errors|output|robust|fuzz|all]" >&2
    exit 2
fi
case $GROUP in errors | output | robust | fuzz | all) ;; *)
    echo "$0: unknown group \"$GROUP\" (errors, output, robust, fuzz, all)" >&2
    exit 2
    ;;
esac
HV=$(cd "$(dirname "$HV")" && pwd)/$(basename "$HV")
HV_SRC=$(cd "$(dirname "$0")/../.." && pwd) # the source tree (bundled data)
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
export LC_ALL=C

T=$(mktemp -d "${TMPDIR:-/tmp}/headviz-cli.XXXXXX") || exit 1
cleanup() {
    if [ "${HV_CLI_KEEP:-0}" = 1 ]; then
        echo "kept $T"
    else
        chmod -R u+rwx "$T" 2>/dev/null
        rm -rf "$T"
    fi
}
trap cleanup EXIT
cd "$T" || exit 1

PASS=0
FAILED=0
CASE_ERRS=()

ok() { PASS=$((PASS + 1)); printf 'ok   %s\n' "$1"; }
# note MSG: records one mismatch for the current case
note() { CASE_ERRS+=("$1"); }
# finish NAME: ok if no mismatch was noted since begin, else FAIL with details
finish() {
    if [ ${#CASE_ERRS[@]} -eq 0 ]; then
        ok "$1"
    else
        FAILED=$((FAILED + 1))
        printf 'FAIL %s\n' "$1"
        local e
        for e in "${CASE_ERRS[@]}"; do printf '       %s\n' "$e"; done
    fi
    CASE_ERRS=()
}

# Runs headviz with a time limit; sets RC and leaves stdout/stderr in files.
TIMEOUT=60
hv() {
    hv_wrap -- "$@"
}
# hv_wrap WRAPPER... -- ARGS: like hv, headviz started through WRAPPER
# (e.g. "env -u DISPLAY" or "setpriv ..."); WRAPPER may be empty.
hv_wrap() {
    local wrap=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do wrap+=("$1"); shift; done
    shift
    local lim=()
    command -v timeout >/dev/null && lim=(timeout -k 5 "$TIMEOUT")
    # the subshell keeps bash's own "Segmentation fault" notices off the log;
    # a crash still shows as an exit code >= 128
    (
        "${lim[@]}" "${wrap[@]}" "$HV" "$@" >"$T/.stdout" 2>"$T/.stderr"
        exit $?
    ) 2>/dev/null
    RC=$?
}

show() { # a file's content on one line, escaped, for messages
    local s
    s=$(head -c "${2:-400}" "$1" | od -An -c | tr -s ' \n' ' ')
    printf '%s' "${s:- (empty)}"
}

# expect_rc CODES: CODES is "2" or "1|2"
expect_rc() {
    case "|$1|" in *"|$RC|"*) ;; *) note "exit code: expected $1, got $RC" ;; esac
    if [ "$RC" -ge 124 ]; then note "(exit $RC: timeout or killed by a signal)"; fi
}
# expect_stderr LINE: stderr is exactly LINE plus a newline
expect_stderr() {
    if ! printf '%s\n' "$1" | cmp -s - "$T/.stderr"; then
        note "stderr: expected \"$1\""
        note "        got      \"$(head -c 600 "$T/.stderr")\" ($(wc -l <"$T/.stderr") lines)"
    fi
}
# expect_stderr_prefix PREFIX: stderr is one line starting with PREFIX
expect_stderr_prefix() {
    local n
    n=$(wc -l <"$T/.stderr")
    if [ "$n" -ne 1 ] || [ "$(head -c ${#1} "$T/.stderr")" != "$1" ]; then
        note "stderr: expected one line starting \"$1\", got \"$(head -c 600 "$T/.stderr")\" ($n lines)"
    fi
}
expect_stdout_empty() {
    [ -s "$T/.stdout" ] && note "stdout: expected nothing, got \"$(cat "$T/.stdout")\""
}
expect_stderr_empty() {
    [ -s "$T/.stderr" ] && note "stderr: expected nothing, got \"$(head -c 600 "$T/.stderr")\""
}
# expect_dir_empty DIR: nothing was written there (no output, no temp file)
expect_dir_empty() {
    local left
    left=$(ls -A "$1" 2>/dev/null)
    [ -n "$left" ] && note "$1: expected no files, found: $(echo "$left" | tr '\n' ' ')"
}
# expect_dir_only DIR NAME...: DIR holds exactly these names
expect_dir_only() {
    local d=$1
    shift
    local want got
    want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    got=$(ls -A "$d" | sort | tr '\n' ' ')
    [ "$want" = "$got" ] && return
    note "$d: expected exactly [ $want], found [ $got]"
}

fresh_out() { # an empty out/ folder
    chmod -R u+rwx out 2>/dev/null
    rm -rf out
    mkdir out
}

# fail_case NAME CODES MESSAGE -- ARGS...: headviz ARGS must fail with exit
# CODES and print exactly "headviz: MESSAGE", writing nothing into out/.
fail_case() {
    local name=$1 codes=$2 msg=$3
    shift 4
    fresh_out
    hv "$@"
    expect_rc "$codes"
    expect_stderr "headviz: $msg"
    expect_stdout_empty
    expect_dir_empty out
    finish "$name"
}

# png_size FILE: prints "WxH" from the IHDR chunk, or "not-a-png"
png_size() {
    local sig ihdr
    sig=$(od -An -tx1 -N8 "$1" 2>/dev/null | tr -d ' \n')
    ihdr=$(od -An -c -j12 -N4 "$1" 2>/dev/null | tr -d ' \n')
    if [ "$sig" != 89504e470d0a1a0a ] || [ "$ihdr" != IHDR ]; then
        echo not-a-png
        return
    fi
    local b
    read -r -a b <<<"$(od -An -tu1 -j16 -N8 "$1")"
    echo "$(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]))x$(((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]))"
}
expect_png() { # expect_png FILE WxH
    if [ ! -f "$1" ]; then
        note "$1: expected a PNG, no file"
        return
    fi
    local got
    got=$(png_size "$1")
    [ "$got" = "$2" ] || note "$1: expected a $2 PNG, got $got"
}
sum() { cksum <"$1" 2>/dev/null; }

HEADER='model,condition,layer,head,score'
csv() { # csv FILE ROW...: a data file with the header and these rows
    local f=$1
    shift
    { echo "$HEADER"; printf '%s\n' "$@"; } >"$f"
}

# ---------------------------------------------------------------- errors ---
group_errors() {
    csv good.csv 'Llama,Undiff,1,2,5' 'Llama,Scaling,3,4,7.5' 'Vicuna,Undiff,2,2,3'

    # -- data files
    fail_case "missing data file" 2 \
        'missing.csv: cannot open: No such file or directory' \
        -- missing.csv --screenshot out/x.png
    mkdir -p adir
    fail_case "data file is a folder" 2 \
        'adir: is a directory, expected a file' \
        -- adir --screenshot out/x.png
    : >empty.csv
    fail_case "empty data file" 2 \
        'empty.csv: file is empty (expected a header row: model,condition,layer,head,score)' \
        -- empty.csv --screenshot out/x.png
    echo "$HEADER" >header_only.csv
    fail_case "header without rows" 2 \
        'header_only.csv: no data rows after the header' \
        -- header_only.csv --screenshot out/x.png
    printf 'model,condition,layer,head\nLlama,Undiff,1,2\n' >noscore.csv
    fail_case "header without a score column" 2 \
        'noscore.csv:1: header has no column "score" (need model,condition,layer,head,score)' \
        -- noscore.csv --screenshot out/x.png
    csv layer.csv 'Llama,Undiff,1,2,5' 'Llama,Undiff,x,3,5'
    fail_case "non-numeric layer" 2 \
        'layer.csv:3: column "layer": expected an integer 0..100000, got "x"' \
        -- layer.csv --screenshot out/x.png
    csv head.csv 'Llama,Undiff,1,-1,5'
    fail_case "negative head" 2 \
        'head.csv:2: column "head": expected an integer 0..100000, got "-1"' \
        -- head.csv --screenshot out/x.png
    csv nan.csv 'Llama,Undiff,1,2,NaN'
    fail_case "only NaN scores (no score)" 2 \
        'nan.csv:2: column "score": every data row has no score (nan): nothing to draw' \
        -- nan.csv --screenshot out/x.png
    csv inf.csv 'Llama,Undiff,1,1,inf'
    fail_case "inf score" 2 \
        'inf.csv:2: column "score": expected a finite number (or nan: no score), got "inf"' \
        -- inf.csv --screenshot out/x.png
    csv ninf.csv 'Llama,Undiff,1,1,-Infinity'
    fail_case "-Infinity score" 2 \
        'ninf.csv:2: column "score": expected a finite number (or nan: no score), got "-Infinity"' \
        -- ninf.csv --screenshot out/x.png
    csv huge.csv 'Llama,Undiff,1,1,1e999'
    fail_case "score overflowing a double" 2 \
        'huge.csv:2: column "score": expected a finite number (or nan: no score), got "1e999"' \
        -- huge.csv --screenshot out/x.png
    csv fields.csv 'Llama,Undiff,1,1,5' 'Llama,Undiff,1,2'
    fail_case "row with too few fields" 2 \
        'fields.csv:3: expected 5 fields like the header, got 4' \
        -- fields.csv --screenshot out/x.png
    csv quote.csv '"Llama,Undiff,1,1,5'
    fail_case "quoted field not closed" 2 \
        'quote.csv:2: field 1: quoted field is not closed' \
        -- quote.csv --screenshot out/x.png
    csv dup.csv 'Llama,Undiff,1,1,5' 'Vicuna,Undiff,1,1,5' 'Llama,Undiff,1,1,6'
    fail_case "duplicate point" 2 \
        'dup.csv:4: duplicate point: model "Llama", condition "Undiff", layer 1, head 1 is already on line 2' \
        -- dup.csv --screenshot out/x.png
    printf '%s\nLlama,Un\000diff,1,1,5\n' "$HEADER" >nul.csv
    fail_case "NUL bytes in the data" 2 \
        'nul.csv: not a text file (contains NUL bytes)' \
        -- nul.csv --screenshot out/x.png
    fail_case "more than one data file" 2 \
        'more than one data file: "good.csv" and "empty.csv"' \
        -- good.csv empty.csv --screenshot out/x.png
    fail_case "-- makes a dash name a data file" 2 \
        '--weird.csv: cannot open: No such file or directory' \
        -- --screenshot out/x.png -- --weird.csv

    # -- options
    fail_case "unknown option" 2 \
        'unknown option "--frobnicate" (see headviz --help)' \
        -- --frobnicate --screenshot out/x.png
    fail_case "--size malformed (19x)" 2 \
        '--size: expected WxH like 1920x1080 or 3.5inx2.5in (in, mm, cm, pt), or beamer (160x90 mm), beamer43 (128x96 mm), got "19x"' \
        -- --screenshot out/x.png --size 19x
    fail_case "--size with a third part" 2 \
        '--size: expected WxH like 1920x1080 or 3.5inx2.5in (in, mm, cm, pt), or beamer (160x90 mm), beamer43 (128x96 mm), got "64x64x2"' \
        -- --screenshot out/x.png --size 64x64x2
    fail_case "--size negative" 2 \
        '--size: expected WxH like 1920x1080 or 3.5inx2.5in (in, mm, cm, pt), or beamer (160x90 mm), beamer43 (128x96 mm), got "64x-64"' \
        -- --screenshot out/x.png --size=64x-64
    fail_case "--size zero (0x100)" 2 \
        '--size: 0x100 is out of range (each side 16..16384)' \
        -- --screenshot out/x.png --size 0x100
    fail_case "--size huge (99999x10)" 2 \
        '--size: 99999x10 is out of range (each side 16..16384)' \
        -- --screenshot out/x.png --size 99999x10
    fail_case "--size beyond long" 2 \
        '--size: 99999999999999999999999x64 is out of range (each side 16..16384)' \
        -- --screenshot out/x.png --size 99999999999999999999999x64
    fail_case "--size without a value" 2 \
        '--size needs a value (see headviz --help)' \
        -- --screenshot out/x.png --size
    fail_case "--size= empty" 2 \
        '--size needs a non-empty value' \
        -- --screenshot out/x.png --size=
    fail_case "unknown --colormap" 2 \
        '--colormap: unknown colormap "jet" (known: viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr)' \
        -- --screenshot out/x.png --colormap jet
    fail_case "unknown --facets" 2 \
        '--facets: unknown placement "sideways" (known: auto, models-rows, models-columns)' \
        -- --screenshot out/x.png --facets sideways
    fail_case "unknown --theme" 2 \
        '--theme: unknown theme "blue" (known: light, dark)' \
        -- --screenshot out/x.png --theme blue
    fail_case "--font file that does not exist" 2 \
        'nofont.ttf: font file not found' \
        -- --screenshot out/x.png --font nofont.ttf

    fail_case "unknown --layout" 2 \
        '--layout: unknown layout "grid" (known: side, morph, models, heatmap, diff)' \
        -- --screenshot out/x.png --layout grid
    fail_case "unknown --match" 2 \
        '--match: unknown matching "best" (known: head, rank, nearest)' \
        -- --screenshot out/x.png --match best
    fail_case "unknown --easing" 2 \
        '--easing: unknown easing "bounce" (known: linear, cubic, quint, back, elastic)' \
        -- --screenshot out/x.png --easing bounce
    fail_case "--fps out of range" 2 \
        '--fps: 0 is out of range (1..240)' \
        -- --screenshot out/x.png --fps 0
    fail_case "--stagger not a number" 2 \
        '--stagger: expected a number, got "abc"' \
        -- --screenshot out/x.png --stagger abc
    fail_case "--frames not whole" 2 \
        '--frames: expected a whole number, got "1.5"' \
        -- --screenshot out/x.png --frames 1.5
    fail_case "--screenshot and --video together" 2 \
        '--screenshot, --export-frames and --video are exclusive: pick one' \
        -- --screenshot out/x.png --video out/v.mp4
    fail_case "unknown --preset" 2 \
        '--preset: unknown x264 preset "turbo" (known: ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow)' \
        -- --video out/v.mp4 --preset turbo
    fail_case "--preset names are lower case, as x264's" 2 \
        '--preset: unknown x264 preset "VeryFast" (known: ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow)' \
        -- --video out/v.mp4 --preset=VeryFast
    fail_case "--preset without a value" 2 \
        '--preset needs a value (see headviz --help)' \
        -- --video out/v.mp4 --preset
    fail_case "--preset with a .webm video" 2 \
        "--preset sets x264's speed for --video FILE.mp4; it does not apply to out/v.webm" \
        -- --video out/v.webm --preset veryfast
    fail_case "--preset with a .pdf video" 2 \
        "--preset sets x264's speed for --video FILE.mp4; it does not apply to out/v.pdf" \
        -- --preset fast --video out/v.pdf
    fail_case "--preset without --video" 2 \
        "--preset sets x264's speed for --video FILE.mp4; there is no --video to apply it to" \
        -- --screenshot out/x.png --preset fast
    fail_case "--preset with --export-frames" 2 \
        "--preset sets x264's speed for --video FILE.mp4; there is no --video to apply it to" \
        -- --export-frames out/frames --preset ultrafast
    fail_case "--duration and --frames together" 2 \
        '--duration and --frames are exclusive: pick one' \
        -- --screenshot out/x.png --duration 1 --frames 3
    fail_case "--progress with an export" 2 \
        '--progress picks one moment for --screenshot or the window; exports run the whole timeline' \
        -- --export-frames out/frames --progress 0.5
    fail_case "--progress beyond the last condition" 2 \
        '--progress: 5 is out of range for 2 conditions (0..1)' \
        -- --screenshot out/x.png --progress 5
    fail_case "--progress below 0" 2 \
        '--progress: -1 is out of range for 2 conditions (0..1)' \
        -- --screenshot out/x.png --progress -1
    fail_case "--hold overflowing to infinity" 2 \
        '--hold: 1e999 is out of range (0..3600)' \
        -- --screenshot out/x.png --hold 1e999
    fail_case "--threads not whole" 2 \
        '--threads: expected a whole number, got "2.5"' \
        -- --export-frames out/f --threads 2.5

    # -- specs
    printf '[figure]\ntitle = Heads\nbogus = 1\n' >badkey.ini
    fail_case "--spec with an unknown key" 2 \
        'badkey.ini:3: unknown key "bogus" in [figure] (known: title, xlabel, ylabel, colorbar_label, colormap, xlim, ylim, xticks, yticks, marker_size, legend, context, font_scale, share_axes, top, rank_by, center, kv_heads, colorbar, facets, models, conditions, orientation, reveal)' \
        -- good.csv --spec badkey.ini --screenshot out/x.png
    printf '# comment\n\n[model: Llama]\nmarker = hexagon\n' >badmarker.ini
    fail_case "--spec with an unknown marker" 2 \
        'badmarker.ini:4: key "marker": unknown marker "hexagon" (known: circle, x, square, triangle, diamond, plus, star)' \
        -- good.csv --spec badmarker.ini --screenshot out/x.png
    printf '[figure]\ntitle = t\nthis line has no equals sign\n' >malformed.ini
    fail_case "--spec with a malformed line" 2 \
        'malformed.ini:3: malformed line (expected [section] or key = value)' \
        -- good.csv --spec malformed.ini --screenshot out/x.png
    printf '[figure]\nxlim = 5, 1\n' >badlim.ini
    fail_case "--spec with xlim low > high" 2 \
        'badlim.ini:2: key "xlim": expected "low, high" with low < high, got "5, 1"' \
        -- good.csv --spec badlim.ini --screenshot out/x.png
    # a range no double spans (its tick walk never ended: issue 15)
    printf '[condition: Undiff]\nticks = 0, 10, 1\nrange = -1e308, 1e308\n' >hugerange.ini
    fail_case "--spec with a range beyond the scores' limits" 2 \
        'hugerange.ini:3: key "range": low and high must lie within -1e15..1e15, got "-1e308, 1e308"' \
        -- good.csv --spec hugerange.ini --screenshot out/x.png
    fail_case "--spec that does not exist" 2 \
        'nope.ini: cannot open: No such file or directory' \
        -- good.csv --spec nope.ini --screenshot out/x.png
    fail_case "--spec without data uses it too" 2 \
        'badkey.ini:3: unknown key "bogus" in [figure] (known: title, xlabel, ylabel, colorbar_label, colormap, xlim, ylim, xticks, yticks, marker_size, legend, context, font_scale, share_axes, top, rank_by, center, kv_heads, colorbar, facets, models, conditions, orientation, reveal)' \
        -- --spec badkey.ini --screenshot out/x.png

    # a spec beside the data is read: DATA.ini, then headviz.ini
    mkdir -p beside beside2
    cp good.csv beside/heads.csv
    printf '[figure]\ncolormap = jet\n' >beside/heads.ini
    fail_case "DATA.ini beside the data is used" 2 \
        'beside/heads.ini:2: key "colormap": unknown colormap "jet" (known: viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr)' \
        -- beside/heads.csv --screenshot out/x.png
    fail_case "DATA.ini beside the data is used (absolute path)" 2 \
        "$T/beside/heads.ini:2: key \"colormap\": unknown colormap \"jet\" (known: viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr)" \
        -- "$T/beside/heads.csv" --screenshot out/x.png
    cp good.csv beside2/heads.csv
    printf '[figure]\n\n\nnot a key\n' >beside2/headviz.ini
    fail_case "headviz.ini beside the data is used" 2 \
        'beside2/headviz.ini:4: malformed line (expected [section] or key = value)' \
        -- beside2/heads.csv --screenshot out/x.png

    # --spec wins over a (broken) spec beside the data
    fresh_out
    printf '[figure]\ntitle = fine\n' >fine.ini
    hv beside/heads.csv --spec fine.ini --size 64x48 --screenshot out/x.png
    expect_rc 0
    expect_stderr_empty
    expect_png out/x.png 64x48
    expect_dir_only out x.png
    finish "--spec overrides a DATA.ini beside the data"
}

# ---------------------------------------------------------------- output ---
group_output() {
    csv good.csv 'Llama,Undiff,1,2,5' 'Llama,Scaling,3,4,7.5' 'Vicuna,Undiff,2,2,3'

    # bundled data, default size
    fresh_out
    hv --screenshot out/fig.png
    expect_rc 0
    expect_stderr_empty
    [ "$(cat "$T/.stdout")" = "out/fig.png (1920x1080)" ] ||
        note "stdout: expected \"out/fig.png (1920x1080)\", got \"$(cat "$T/.stdout")\""
    expect_png out/fig.png 1920x1080
    expect_dir_only out fig.png
    finish "--screenshot on the bundled data is a 1920x1080 PNG"

    # "-" reads the data from standard input
    fresh_out
    hv_wrap sh -c 'f=$1; shift; exec "$0" "$@" <"$f"' -- "$T/good.csv" - --screenshot out/in.png --size 64x48
    RC_STDIN=$RC
    [ "$RC_STDIN" -eq 0 ] || note "exit: expected 0, got $RC_STDIN ($(show "$T/.stderr"))"
    expect_png out/in.png 64x48
    finish "- reads the data from standard input"
    fresh_out
    printf 'model,condition,layer,head,score\nm,c,1,x,2\n' >"$T/bad_stdin.csv"
    hv_wrap sh -c 'f=$1; shift; exec "$0" "$@" <"$f"' -- "$T/bad_stdin.csv" - --screenshot out/in.png --size 64x48
    expect_rc 2
    expect_stderr 'headviz: <stdin>:2: column "head": expected an integer 0..100000, got "x"'
    expect_dir_empty out
    finish "- names <stdin> in its errors"

    fresh_out
    hv --screenshot out/fig.png --size 1280x720
    expect_rc 0
    expect_stderr_empty
    expect_png out/fig.png 1280x720
    expect_dir_only out fig.png
    finish "--screenshot --size 1280x720"

    # width and height not swapped; --size=WxH form; own data; absolute path
    fresh_out
    hv good.csv --size=96x40 --screenshot "$T/out/own.png" --theme dark --colormap plasma --transparent
    expect_rc 0
    expect_stderr_empty
    expect_png out/own.png 96x40
    expect_dir_only out own.png
    finish "--screenshot of a CSV at 96x40 (not swapped), dark, plasma"

    # --progress picks the moment: halfway differs from both ends, and the
    # same moment gives the same pixels
    fresh_out
    local p rcs=""
    for p in 0 0.5 1; do
        hv --layout morph --progress "$p" --size 160x90 --screenshot "out/p$p.png"
        rcs="$rcs$RC"
        expect_stderr_empty
    done
    hv --layout morph --progress=0.5 --size 160x90 --screenshot out/again.png
    rcs="$rcs$RC"
    [ "$rcs" = 0000 ] || note "exit codes: expected 0 0 0 0, got $(echo "$rcs" | sed 's/./& /g')"
    expect_png out/p0.5.png 160x90
    cmp -s out/p0.5.png out/p0.png && note "--progress 0.5: same PNG as --progress 0"
    cmp -s out/p0.5.png out/p1.png && note "--progress 0.5: same PNG as --progress 1"
    cmp -s out/p0.5.png out/again.png || note "--progress 0.5 twice: the PNGs differ"
    expect_dir_only out p0.png p0.5.png p1.png again.png
    finish "--layout morph --progress 0 / 0.5 / 1"

    # the spec beside the data takes effect: colormap = magma in DATA.ini draws
    # the same pixels as --colormap magma, and not those of the default
    mkdir -p cm
    cp good.csv cm/heads.csv
    fresh_out
    hv cm/heads.csv --size 160x90 --screenshot out/default.png
    local rc1=$RC
    expect_stderr_empty
    printf '[figure]\ncolormap = magma\n' >cm/heads.ini
    hv cm/heads.csv --size 160x90 --screenshot out/beside.png
    local rc2=$RC
    expect_stderr_empty
    rm cm/heads.ini
    hv cm/heads.csv --size 160x90 --screenshot out/flag.png --colormap magma
    local rc3=$RC
    expect_stderr_empty
    [ "$rc1$rc2$rc3" = 000 ] || note "exit codes: expected 0 0 0, got $rc1 $rc2 $rc3"
    if [ -f out/default.png ] && [ -f out/beside.png ] && [ -f out/flag.png ]; then
        cmp -s out/beside.png out/flag.png ||
            note "heads.ini with colormap = magma: expected the same PNG as --colormap magma, it differs"
        cmp -s out/beside.png out/default.png &&
            note "heads.ini with colormap = magma: expected a PNG unlike the default one, it is the same"
    else
        note "expected three PNGs, found: $(ls -A out | tr '\n' ' ')"
    fi
    expect_dir_only out default.png beside.png flag.png
    finish "DATA.ini beside the data sets the colormap"

    # existing output: refused without --force, unchanged; replaced with it
    fresh_out
    echo "precious, not a png" >out/fig.png
    local before
    before=$(sum out/fig.png)
    hv --screenshot out/fig.png --size 64x64
    expect_rc 2
    expect_stderr 'headviz: out/fig.png: file exists; use --force to overwrite'
    expect_stdout_empty
    [ "$(sum out/fig.png)" = "$before" ] || note "out/fig.png: changed although --force was not given"
    expect_dir_only out fig.png
    finish "--screenshot onto an existing file without --force is refused"

    hv --screenshot out/fig.png --size 64x64 --force
    expect_rc 0
    expect_stderr_empty
    [ "$(sum out/fig.png)" != "$before" ] || note "out/fig.png: unchanged although --force was given"
    expect_png out/fig.png 64x64
    expect_dir_only out fig.png
    finish "--screenshot --force replaces an existing file"

    # folders that cannot take the file: message names the path, no temp left
    fresh_out
    hv --screenshot out/nodir/fig.png --size 64x64
    expect_rc 2
    expect_stderr 'headviz: out/nodir/fig.png: folder "out/nodir" does not exist'
    expect_stdout_empty
    expect_dir_empty out
    finish "--screenshot into a folder that does not exist"

    fresh_out
    echo "a file, not a folder" >out/file
    hv --screenshot out/file/fig.png --size 64x64
    expect_rc "1|2"
    expect_stderr 'headviz: out/file/fig.png: cannot write: Not a directory'
    expect_stdout_empty
    expect_dir_only out file
    finish "--screenshot under a path that is a file, not a folder"

    # read-only folder; root writes anywhere, so as root run as "nobody"
    fresh_out
    mkdir out/ro
    chmod 555 out/ro
    local as=()
    if [ "$(id -u)" = 0 ]; then
        chmod 755 "$T" out
        if command -v setpriv >/dev/null &&
            setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$HV" -a -r good.csv 2>/dev/null; then
            as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        fi
    fi
    if [ "$(id -u)" = 0 ] && [ ${#as[@]} -eq 0 ]; then
        printf 'skip %s\n' "--screenshot into a read-only folder (root, and cannot run as nobody)"
    else
        hv_wrap "${as[@]}" -- good.csv --screenshot out/ro/fig.png --size 64x64
        expect_rc "1|2"
        expect_stderr 'headviz: out/ro/fig.png: cannot write: Permission denied'
        expect_stdout_empty
        expect_dir_empty out/ro
        finish "--screenshot into a read-only folder${as:+ (as nobody)}"
    fi

    # the output path is an existing folder: refused, folder untouched
    fresh_out
    mkdir out/sub.png
    hv --screenshot out/sub.png --size 64x64
    expect_rc "1|2"
    expect_stderr_prefix 'headviz: out/sub.png: '
    expect_stdout_empty
    [ -d out/sub.png ] || note "out/sub.png: no longer a folder"
    expect_dir_empty out/sub.png
    expect_dir_only out sub.png
    finish "--screenshot onto an existing folder is refused"
    hv --screenshot out/sub.png --size 64x64 --force
    expect_rc "1|2"
    expect_stderr_prefix 'headviz: out/sub.png: '
    expect_stdout_empty
    [ -d out/sub.png ] || note "out/sub.png: no longer a folder"
    expect_dir_empty out/sub.png
    expect_dir_only out sub.png
    finish "--screenshot --force onto an existing folder is refused"

    # help and version
    hv --help
    expect_rc 0
    expect_stderr_empty
    head -n 1 "$T/.stdout" | grep -q '^usage: headviz ' ||
        note "stdout: expected a first line \"usage: headviz ...\", got \"$(head -n 1 "$T/.stdout")\""
    grep -q '^examples:' "$T/.stdout" || note "stdout: no \"examples:\" section"
    grep -q '^  headviz .*--screenshot' "$T/.stdout" || note "stdout: no example using --screenshot"
    for opt in --spec --screenshot --size --theme --colormap --force --video --preset; do
        grep -q -- "^  $opt" "$T/.stdout" || note "stdout: option $opt is not described"
    done
    grep -q '^  headviz .*--video .*\.mp4 --preset veryfast' "$T/.stdout" || note "stdout: no example using --preset"
    finish "--help prints usage and examples"

    hv --version
    expect_rc 0
    expect_stderr_empty
    grep -Eqx 'headviz [0-9]+\.[0-9]+\.[0-9]+ \(git ([0-9a-f]{7,}|[^ ()]+-g[0-9a-f]{7,}|unknown)(-dirty)?\)' "$T/.stdout" ||
        note "stdout: expected \"headviz X.Y.Z (git COMMIT)\", got \"$(cat "$T/.stdout")\""
    finish "--version"

    # no display and no --screenshot: a clear message instead of a hang or crash
    fresh_out
    TIMEOUT=30
    hv_wrap env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER -- good.csv
    TIMEOUT=60
    expect_rc 1
    expect_stderr 'headviz: no display to open a window on (DISPLAY/WAYLAND_DISPLAY unset or unusable); render to a file instead: headviz --screenshot out.png'
    expect_stdout_empty
    expect_dir_empty out
    finish "no display and no --screenshot"

    # --screenshot needs no display even when SDL_VIDEODRIVER is unset
    fresh_out
    hv_wrap env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER -- good.csv --size 64x64 --screenshot out/x.png
    expect_rc 0
    expect_stderr_empty
    expect_png out/x.png 64x64
    expect_dir_only out x.png
    finish "--screenshot with no display and SDL_VIDEODRIVER unset"
}

# ---------------------------------------------------------------- robust ---
# What a hostile user found (issue 7): FIFOs that never get a writer, names
# inih would cut, outputs whose extension is not a format, row order.
group_robust() {
    csv good.csv 'Llama,Undiff,1,2,5' 'Llama,Scaling,3,4,7.5' 'Vicuna,Undiff,2,2,3'

    # a FIFO nobody writes: refused after the time limit, never a hang
    rm -f nowriter.fifo
    mkfifo nowriter.fifo
    fail_case "a FIFO with no writer as the data file" 2 \
        'nowriter.fifo: a FIFO with no writer: nothing to read after 5 s' \
        -- nowriter.fifo --screenshot out/x.png
    fail_case "a FIFO with no writer as the spec" 2 \
        'nowriter.fifo: a FIFO with no writer: nothing to read after 5 s' \
        -- good.csv --spec nowriter.fifo --screenshot out/x.png
    # a FIFO whose writer comes a little later is read
    fresh_out
    (sleep 1; cat good.csv >nowriter.fifo) &
    hv nowriter.fifo --screenshot out/x.png --size 64x48
    wait
    expect_rc 0
    expect_png out/x.png 64x48
    finish "a FIFO whose writer arrives after 1 s is read"
    fail_case "a device as the data file" 2 \
        '/dev/zero: is a device, expected a file' \
        -- /dev/zero --screenshot out/x.png

    # output formats follow the extension or are refused
    fail_case "--screenshot out.jpg is refused" 2 \
        '--screenshot out/x.jpg: unknown format ".jpg" (supported: .png, .pdf, .svg)' \
        -- good.csv --screenshot out/x.jpg
    fail_case "--screenshot without an extension is refused" 2 \
        '--screenshot out/x: no file extension to choose the format by (supported: .png, .pdf, .svg)' \
        -- good.csv --screenshot out/x
    fresh_out
    hv good.csv --screenshot out/X.PNG --size=64X48
    expect_rc 0
    expect_png out/X.PNG 64x48
    finish "--size=64X48 and .PNG (the documented forms) are accepted"

    # a [condition: NAME] section as long as a name may be (127 bytes) applies
    local long
    long=$(printf 'c%.0s' $(seq 1 127))
    csv long.csv "m,$long,1,1,5" 'm,B,2,2,3'
    printf '[condition: %s]\nrange = 0, 10\n' "$long" >long.ini
    fresh_out
    hv long.csv --spec long.ini --screenshot out/a.png --size 320x180
    expect_rc 0
    expect_stderr_empty
    printf '[figure]\n' >plain.ini
    hv long.csv --spec plain.ini --screenshot out/b.png --size 320x180
    cmp -s out/a.png out/b.png && note "the long section's range = 0, 10 changed nothing (section ignored)"
    finish "a 127-byte [condition: ...] section applies"
    printf '[condition: %sx]\nrange = 0, 10\n' "$long" >toolong.ini
    fail_case "a section name over 127 bytes is an error naming the limit" 2 \
        "toolong.ini:2: section [condition: ${long}x]: name longer than 127 bytes" \
        -- long.csv --spec toolong.ini --screenshot out/x.png

    # whitespace-only lines are blank lines; fields are trimmed
    fresh_out
    printf 'model,condition,layer,head,score\n  \t \n Llama , Undiff ,1,2,5\n\t\nLlama,Scaling,3,4,7.5\n   \n' >ws.csv
    hv ws.csv --screenshot out/ws.png --size 320x180
    expect_rc 0
    expect_stderr_empty
    csv trimmed.csv 'Llama,Undiff,1,2,5' 'Llama,Scaling,3,4,7.5'
    hv trimmed.csv --screenshot out/tr.png --size 320x180
    cmp -s out/ws.png out/tr.png || note "whitespace-only lines and padded names changed the picture"
    finish "whitespace-only lines are skipped, names trimmed"

    # the draw order is a function of the data: shuffled rows (first
    # appearance of each model and condition kept) give byte-identical stills
    local base=$HV_SRC/assets/safety_heads.csv seed
    cp "$HV_SRC/assets/safety_heads.ini" rows.ini
    for seed in 1 2 3; do
        python3 - "$base" "shuf$seed.csv" "$seed" <<'PYEOF'
import random, sys
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src).read().splitlines()
head, rows = lines[0], lines[1:]
firsts, seen = [], set()
for r in rows:  # the first row of each model and of each condition keeps its place
    m, c = r.split(",")[0], r.split(",")[1]
    if m not in seen or c not in seen:
        firsts.append(r); seen.update([m, c])
rest = [r for r in rows if r not in firsts]
random.Random(seed).shuffle(rest)
open(dst, "w").write("\n".join([head] + firsts + rest) + "\n")
PYEOF
    done
    cp "$base" rows.csv
    fresh_out
    local args
    for args in "--size 640x360" "--layout morph --match rank --progress 0.5 --size 640x360" \
        "--layout models --progress 0.3 --size 640x360"; do
        # shellcheck disable=SC2086
        hv rows.csv --spec rows.ini --screenshot out/ref.png --force $args
        for seed in 1 2 3; do
            # shellcheck disable=SC2086
            hv "shuf$seed.csv" --spec rows.ini --screenshot "out/s$seed.png" --force $args
            cmp -s out/ref.png "out/s$seed.png" || note "$args: shuffle $seed gives a different picture"
        done
    done
    # two models on one head: the higher score is on top, whatever the order
    csv over1.csv 'A,c,1,1,1' 'B,c,9,9,1' 'A,c,5,5,10' 'B,c,5,5,20' 'A,d,5,5,10' 'B,d,5,5,20'
    csv over2.csv 'A,c,1,1,1' 'B,c,9,9,1' 'B,c,5,5,20' 'A,c,5,5,10' 'B,d,5,5,20' 'A,d,5,5,10'
    for args in "--size 320x180" "--layout morph --progress 0.5 --size 320x180"; do
        # shellcheck disable=SC2086
        hv over1.csv --screenshot out/o1.png --force $args
        # shellcheck disable=SC2086
        hv over2.csv --screenshot out/o2.png --force $args
        cmp -s out/o1.png out/o2.png || note "$args: two markers on one head stack in row order"
    done
    finish "shuffled rows give byte-identical stills (side, morph, models; markers on one head)"

    # data from standard input gets the built-in defaults, exactly as a file
    # with no spec beside it: byte-identical stills (a head at layer 50 too)
    csv wide.csv 'A,x,50,3,5' 'A,x,31,7,2' 'B,y,4,20,9'
    fresh_out
    hv wide.csv --screenshot out/file.png --size 480x270
    hv_wrap sh -c 'f=$1; shift; exec "$0" "$@" <"$f"' -- "$T/wide.csv" - --screenshot out/stdin.png --size 480x270
    expect_rc 0
    expect_stderr_empty
    cmp -s out/file.png out/stdin.png || note "stdin and the file give different stills"
    finish "data from stdin and from a file give byte-identical stills"

    # a point outside explicit limits: one warning line, never dropped in silence
    printf '[figure]\nxlim = -1, 31\nylim = -1, 31\n' >lim.ini
    fresh_out
    hv wide.csv --spec lim.ini --screenshot out/lim.png --size 320x180
    expect_rc 0
    expect_stderr 'headviz: warning: 1 point lies outside the axes (xlim -1, 31; ylim -1, 31) and is not drawn; the first: wide.csv:2 (A, x, layer 50, head 3)'
    expect_png out/lim.png 320x180
    finish "a point outside explicit limits is reported with its file and line"

    # a NaN score is no score: no marker, and one warning naming the row
    # (issue 15: it was dropped without a word)
    csv somenan.csv 'Llama,Undiff,1,2,5' 'Llama,Undiff,3,4,nan' 'Vicuna,Scaling,2,2,NaN' 'Vicuna,Scaling,5,5,3'
    fresh_out
    hv somenan.csv --screenshot out/nan.png --size 320x180
    expect_rc 0
    expect_stderr 'headviz: warning: 2 rows have no score (nan) and are not drawn; the first: somenan.csv:3 (Llama, Undiff, layer 3, head 4)'
    expect_png out/nan.png 320x180
    finish "rows with a NaN score are reported with their file and line"

    # ticks far finer than their range (8 ticks over 0..1e12): the ticks
    # between the two conditions once asked for 1e11 intervals and never
    # returned (issue 15); a still and a mid-transition one now take well
    # under the time limit
    printf '[condition: Undiff]\nrange = 0, 1e12\nticks = 0, 70, 10\n' >fine.ini
    for p in 0 0.5; do
        fresh_out
        TIMEOUT=20 hv good.csv --spec fine.ini --screenshot out/fine.png --size 320x180 --layout morph --progress $p
        expect_rc 0
        expect_stderr_empty
        expect_png out/fine.png 320x180
        finish "ticks 0..70 by 10 over a range of 1e12 give a still (progress $p), no hang"
    done

    # --transparent has no correct GIF: refused before anything runs
    fail_case "--transparent with .gif is refused" 2 \
        '--video out/t.gif: .gif has only on/off transparency, which frays antialiased text and markers; use .webm (VP9 with alpha) or .mov (ProRes 4444) with --transparent' \
        -- good.csv --video out/t.gif --transparent --frames 2
}

# ------------------------------------------------------------------ fuzz ---
# 200 data files (100 random bytes, 100 mutations of a valid CSV) and 40
# mutated specs, all from fixed seeds. Each run exits 0 (and wrote a PNG) or 2
# (one "headviz: " line, nothing written); anything else is a failure.
gen_fuzz() {
    mkdir -p fuzz
    if command -v python3 >/dev/null; then
        python3 - fuzz <<'EOF'
import random, sys
out = sys.argv[1]
base = (b"model,condition,layer,head,score\n"
        b"Llama-2-7b-chat,Undiff Attn.,1,1,5\n"
        b"Llama-2-7b-chat,Undiff Attn.,2,15,65.5\n"
        b"Vicuna-7b-v1.5,Undiff Attn.,3,29,12\n"
        b"\"Vicuna-7b-v1.5\",Scaling Cont.,31,0,0.25\n"
        b"Llama-2-7b-chat,Scaling Cont.,4,7,1e1\n")
spec = (b"[figure]\ntitle = Top {k} on {condition}\ncolormap = viridis\n"
        b"xlim = -1, 31\nylim = -1, 31\nxticks = 0, 30, 2\nmarker_size = 1.5\n"
        b"[condition: Undiff Attn.]\nrange = 0, 70\nticks = 0, 70, 10\n"
        b"[model: Vicuna-7b-v1.5]\nmarker = x\ncolor = #ff8800\nlabel = Vicuna\n")
pieces = [b",", b"\"", b"\n", b"\r", b"\r\n", b"-", b".", b"e", b"x", b"0", b"9",
          b" ", b"\t", b"\x00", b"\xff", b"nan", b"inf", b"1e308", b"-1e308",
          b"99999999999", b"100000", b"=", b"[", b"]", b"#", b";", b"{k}",
          b"{condition}", b"A" * 1100, b",,,,,,,,", b"\xef\xbb\xbf"]
def mutate(rng, data):
    d = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(5)
        pos = rng.randrange(len(d) + 1)
        if op == 0 and d:            # replace a byte
            d[min(pos, len(d) - 1)] = rng.randrange(256)
        elif op == 1:                # insert a piece
            d[pos:pos] = rng.choice(pieces)
        elif op == 2 and d:          # delete a span
            del d[pos:pos + rng.randint(1, 8)]
        elif op == 3:                # duplicate a line
            lines = bytes(d).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            d = bytearray(b"\n".join(lines))
        else:                        # overwrite a span with a piece
            p = rng.choice(pieces)
            d[pos:pos + len(p)] = p
    return bytes(d)
rng = random.Random(1)
for i in range(100):
    n = rng.choice([0, 1, 2, 8, 64, 300, 2000])
    data = bytes(rng.randrange(256) for _ in range(n))
    if rng.random() < 0.5:           # half start with a good header
        data = base[:33] + data
    open("%s/r%03d.csv" % (out, i), "wb").write(data)
for i in range(100):
    open("%s/m%03d.csv" % (out, i), "wb").write(mutate(rng, base))
for i in range(40):
    open("%s/s%03d.ini" % (out, i), "wb").write(mutate(rng, spec))
open("%s/base.csv" % out, "wb").write(base)
# score files for --grid: small valid ones of every format, mutated (the
# readers' corpus; written without numpy)
import json, struct
def npy(shape, vals, descr="<f4", fmt="<%df"):
    hdr = ("{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, str(tuple(shape)))).encode()
    hdr += b" " * (63 - (10 + len(hdr)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr + struct.pack(fmt % len(vals), *vals)
vals = [1.5, 2.0, 0.25, 4.0, -1.0, 3.0]
sth = json.dumps({"s": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}).encode()
sth += b" " * ((8 - len(sth) % 8) % 8)
grids = {
    "npy": npy((2, 3), vals),
    "json": json.dumps({"0-0": 1.5, "0-1": [2.0, 2.5], "L1H2": 3.0, "1-1": None}).encode(),
    "jsonl": b'{"L0H0": 1.5, "L1H2": 3}\n{"0-1": NaN}\n',
    "txt": b"# layers x heads\n1.5 2 0.25\n4,-1,3\n",
    "safetensors": struct.pack("<Q", len(sth)) + sth + struct.pack("<6f", *vals),
}
gpieces = pieces + [b"\x93NUMPY", b"'descr'", b"<f8", b">f2", b"(", b")", b"{", b"}", b":", b"L9H9",
                    b"NaN", b"Infinity", b"F16", b"BF16", b"data_offsets", b"\x00" * 8, b"\xff" * 8]
for i in range(60):
    ext = list(grids)[i % len(grids)]
    d = bytearray(grids[ext])
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(d) + 1)
        op = rng.randrange(3)
        if op == 0 and d:
            d[min(pos, len(d) - 1)] = rng.randrange(256)
        elif op == 1:
            d[pos:pos] = rng.choice(gpieces)
        elif d:
            del d[pos:pos + rng.randint(1, 6)]
    open("%s/g%03d.%s" % (out, i, ext), "wb").write(bytes(d))
EOF
    else
        # no python3: the same kinds of files from awk's seeded generator
        awk -v out=fuzz 'BEGIN {
            srand(1)
            base = "model,condition,layer,head,score\nLlama,Undiff,1,1,5\nLlama,Undiff,2,15,65.5\nVicuna,Scaling,3,29,12\n"
            np = split(", \" \n \r - . e x 0 9 nan inf 1e308 99999999999 = [ ] #", pieces, " ")
            pieces[++np] = " "
            for (i = 0; i < 100; i++) {
                f = sprintf("%s/r%03d.csv", out, i); n = int(rand() * 300); s = ""
                for (j = 0; j < n; j++) s = s sprintf("%c", 1 + int(rand() * 255))
                printf "%s", s > f; close(f)
            }
            for (i = 0; i < 100; i++) {
                f = sprintf("%s/m%03d.csv", out, i); s = base
                for (k = 0; k < 1 + int(rand() * 5); k++) {
                    p = 1 + int(rand() * length(s))
                    s = substr(s, 1, p - 1) pieces[1 + int(rand() * np)] substr(s, p + int(rand() * 3))
                }
                printf "%s", s > f; close(f)
            }
            for (i = 0; i < 40; i++) {
                f = sprintf("%s/s%03d.ini", out, i)
                s = "[figure]\ntitle = t\nxlim = -1, 31\n[model: Llama]\nmarker = x\n"
                p = 1 + int(rand() * length(s))
                s = substr(s, 1, p - 1) pieces[1 + int(rand() * np)] substr(s, p + 1)
                printf "%s", s > f; close(f)
            }
            printf "%s", base > (out "/base.csv")
        }'
    fi
}

# fuzz_one NAME ARGS...: one run, must exit 0 with a PNG or 2 with one line
FUZZ_BAD=0
fuzz_one() {
    local name=$1
    shift
    rm -f out/f.png
    hv "$@" --size 64x64 --screenshot out/f.png
    local why=""
    case $RC in
    0)
        [ "$(png_size out/f.png)" = 64x64 ] || why="exit 0 but no 64x64 PNG"
        ;;
    2)
        if [ "$(wc -l <"$T/.stderr")" -ne 1 ] || [ "$(head -c 9 "$T/.stderr")" != "headviz: " ]; then
            why="exit 2 but stderr is not one \"headviz: \" line: $(show "$T/.stderr")"
        elif [ -e out/f.png ]; then
            why="exit 2 but out/f.png was written"
        fi
        ;;
    *)
        why="exit $RC (expected 0 or 2): $(head -c 600 "$T/.stderr" | tr '\n' ' ')"
        ;;
    esac
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$T/.stderr"; then
        why="${why:+$why; }sanitizer report: $(grep -m1 -e 'Sanitizer' -e 'runtime error:' "$T/.stderr")"
    fi
    if [ -n "$why" ]; then
        FUZZ_BAD=$((FUZZ_BAD + 1))
        [ "$FUZZ_BAD" -le 10 ] && note "$name: $why (input starts: $(show "$name" 60))"
    fi
    local left
    for left in out/* out/.[!.]*; do
        [ -e "$left" ] && [ "$left" != out/f.png ] || continue
        note "$name: stray files in out/: $(ls -A out | tr '\n' ' ')"
        fresh_out
        break
    done
}

group_fuzz() {
    gen_fuzz
    fresh_out
    TIMEOUT=20
    local f n=0
    FUZZ_BAD=0
    for f in fuzz/r*.csv; do fuzz_one "$f" "$f"; n=$((n + 1)); done
    [ "$FUZZ_BAD" -gt 10 ] && note "... and $((FUZZ_BAD - 10)) more"
    [ "$FUZZ_BAD" -gt 0 ] && note "(HV_CLI_KEEP=1 keeps the inputs in the temporary folder)"
    [ "$n" -eq 100 ] || note "expected 100 random files, generated $n"
    finish "fuzz: 100 random-byte data files exit 0 or 2 ($FUZZ_BAD bad)"
    n=0
    FUZZ_BAD=0
    for f in fuzz/m*.csv; do fuzz_one "$f" "$f"; n=$((n + 1)); done
    [ "$FUZZ_BAD" -gt 10 ] && note "... and $((FUZZ_BAD - 10)) more"
    [ "$n" -eq 100 ] || note "expected 100 mutated files, generated $n"
    finish "fuzz: 100 mutated data files exit 0 or 2 ($FUZZ_BAD bad)"
    n=0
    FUZZ_BAD=0
    for f in fuzz/s*.ini; do fuzz_one "$f" fuzz/base.csv --spec "$f"; n=$((n + 1)); done
    [ "$FUZZ_BAD" -gt 10 ] && note "... and $((FUZZ_BAD - 10)) more"
    [ "$n" -eq 40 ] || note "expected 40 mutated specs, generated $n"
    finish "fuzz: 40 mutated specs exit 0 or 2 ($FUZZ_BAD bad)"
    n=0
    FUZZ_BAD=0
    for f in fuzz/g*.*; do
        [ -e "$f" ] || continue
        fuzz_one "$f" --grid m A "$f"
        fuzz_one "$f" --grid m A "$f" --layout heatmap
        n=$((n + 1))
    done
    [ "$FUZZ_BAD" -gt 10 ] && note "... and $((FUZZ_BAD - 10)) more"
    command -v python3 >/dev/null && [ "$n" -ne 60 ] && note "expected 60 mutated score files, generated $n"
    finish "fuzz: mutated score files (.npy .json .jsonl .txt .safetensors) with --grid, scatter and heatmap, exit 0 or 2 ($FUZZ_BAD bad)"
    TIMEOUT=60
}

case $GROUP in
errors) group_errors ;;
output) group_output ;;
robust) group_robust ;;
fuzz) group_fuzz ;;
all) group_errors; group_output; group_robust; group_fuzz ;;
esac

echo "$PASS passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
