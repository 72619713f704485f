# bash completion for headviz(1)                          -*- shell-script -*-
# Installed as share/bash-completion/completions/headviz (bash-completion
# loads it on the first Tab after "headviz"); or source it from ~/.bashrc.
# Standalone: needs bash 4 and none of bash-completion's helpers.
# Completes the options (--help's list; tests/install checks it stays so),
# their values (layouts, colormaps, contexts, easings, ...) and file
# arguments by extension, in any case, with folders to walk into.

# _headviz_files EXT...: files named *.EXT (any case) and folders
_headviz_files()
{
    local f ext lc
    local IFS=$'\n'
    for f in $(compgen -f -- "$cur"); do
        if [[ -d $f ]]; then
            COMPREPLY+=("$f")
            continue
        fi
        lc=${f,,}
        for ext in "$@"; do
            if [[ $lc == *."$ext" ]]; then
                COMPREPLY+=("$f")
                break
            fi
        done
    done
    compopt -o filenames 2>/dev/null
}

# _headviz_words WORD...: the words that start with $cur, quoted for the
# command line (a legend place holds a space: upper\ right)
_headviz_words()
{
    local w
    for w in "$@"; do
        [[ $w == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$w")")
    done
}

_headviz()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev= opt=
    local -i i=COMP_CWORD
    COMPREPLY=()
    # --option=VALUE: readline splits at '=' ("--layout" "=" "mo")
    if [[ $cur == = ]]; then
        opt=${COMP_WORDS[i - 1]}
        cur=
    elif ((i >= 2)) && [[ ${COMP_WORDS[i - 1]} == = ]]; then
        opt=${COMP_WORDS[i - 2]}
    elif [[ $cur == --*=* ]]; then # COMP_WORDBREAKS without '='
        opt=${cur%%=*}
        cur=${cur#*=}
    elif ((i >= 1)); then
        prev=${COMP_WORDS[i - 1]}
        opt=$prev
    fi

    # --grid MODEL CONDITION FILE: the third is a score file
    if ((i >= 3)) && [[ ${COMP_WORDS[i - 3]} == --grid ]]; then
        _headviz_files json jsonl ndjson npy npz txt tsv dat safetensors
        return 0
    fi
    if ((i >= 2)) && [[ ${COMP_WORDS[i - 2]} == --grid || ${COMP_WORDS[i - 1]} == --grid ]]; then
        return 0 # a model or condition name: nothing to offer
    fi

    case $opt in
    --spec) _headviz_files ini; return 0 ;;
    --screenshot) _headviz_files png pdf svg; return 0 ;;
    --html | --html-fragment) _headviz_files html htm; return 0 ;;
    --video) _headviz_files mp4 webm gif mov pdf; return 0 ;;
    --export-frames) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
    --font) _headviz_files ttf otf; return 0 ;;
    --format) _headviz_words png pdf svg; return 0 ;;
    --renderer) _headviz_words auto cpu gl; return 0 ;;
    --preset) _headviz_words ultrafast superfast veryfast faster fast medium slow slower veryslow; return 0 ;;
    --theme) _headviz_words light dark; return 0 ;;
    --colormap) _headviz_words viridis plasma magma inferno cividis RdBu_r coolwarm bwr; return 0 ;;
    --orientation) _headviz_words layers-x layers-y; return 0 ;;
    --facets) _headviz_words auto models-rows models-columns; return 0 ;;
    --context) _headviz_words paper notebook talk poster; return 0 ;;
    --legend) _headviz_words auto outside "upper right" "upper left" "lower right" "lower left" none; return 0 ;;
    --layout) _headviz_words side morph models heatmap diff; return 0 ;;
    --match) _headviz_words head rank nearest; return 0 ;;
    --easing) _headviz_words linear cubic quint back elastic; return 0 ;;
    --rank-by) _headviz_words value abs; return 0 ;;
    --reduce) _headviz_words mean max sum count abs-mean; return 0 ;;
    --top) _headviz_words all 10 20; return 0 ;;
    --size) _headviz_words 1920x1080 1280x720 3840x2160 3.5inx2.5in 7inx4in 89mmx64mm 183mmx100mm beamer beamer43; return 0 ;;
    --dpi) _headviz_words 96 150 300 600; return 0 ;;
    --grid-format) _headviz_words auto json jsonl npy npz text safetensors; return 0 ;;
    --table) _headviz_files csv md tex; return 0 ;;
    --tensor | --extent | --models | --conditions | --font-scale | --hold | --transition | --stagger | --progress | --fps | --duration | --frames | --threads)
        return 0 ;; # a number or a name: nothing to offer
    esac

    if [[ $cur == -* ]]; then
        _headviz_words --grid --top --rank-by --reduce --tensor --spec --screenshot --html --html-fragment --size \
            --dpi --theme --colormap --context --font-scale --legend --font --transparent --force --help \
            --version --layout --match --easing --hold --transition --stagger --progress --loop \
            --present --export-frames --format --video --fps --duration --frames --threads --renderer \
            --timings --preset --grid-format --extent --models --conditions --table --orientation --facets --loop-back --estimate
        # --option=VALUE needs no space after the '='
        return 0
    fi
    _headviz_files csv # DATA.csv
    return 0
} &&
    complete -F _headviz headviz

# ex: filetype=sh
