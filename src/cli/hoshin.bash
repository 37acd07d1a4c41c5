# bash completion for hoshin. Installed as
# share/bash-completion/completions/hoshin; tests/cli/ux_test.sh checks that
# it offers exactly the options each command's --help lists.
_hoshin() {
    local cur prev cmd i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    local commands="convert bulk merge diff timeline layout"
    local opts
    case $cmd in
        "") opts="-h --help --version" ;;
        convert) opts="-h --help -o --output --format --encoding --password --municipality --municipality-code --profile --ocr --ocr-dpi -q --quiet --timeout" ;;
        bulk) opts="-h --help -o --output -j --jobs --resume --force --shard --encoding --password --municipality --municipality-code --profile --ocr --ocr-dpi --license --publisher --source-url -q --quiet --jsonl-status --timeout" ;;
        merge) opts="-h --help -o --output --license --publisher --source-url" ;;
        diff) opts="-h --help --format -o --output --department --only-changes --exit-code --lang --color --no-color" ;;
        timeline) opts="-h --help --format -o --output --department --lang" ;;
        layout) opts="-h --help --format --png -o --output --encoding --password --ocr --ocr-dpi" ;;
    esac
    case $prev in
        --format)
            case $cmd in
                convert) COMPREPLY=($(compgen -W "json xml both jsonl" -- "$cur")) ;;
                diff) COMPREPLY=($(compgen -W "text json html" -- "$cur")) ;;
                timeline) COMPREPLY=($(compgen -W "text json csv html" -- "$cur")) ;;
                layout) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
            esac
            return ;;
        --lang) COMPREPLY=($(compgen -W "ja en" -- "$cur")); return ;;
        --encoding) COMPREPLY=($(compgen -W "UTF-8 Shift_JIS CP932 EUC-JP ISO-2022-JP UTF-16LE UTF-16BE" -- "$cur")); return ;;
        -o|--output)
            case $cmd in
                convert|bulk|merge) COMPREPLY=($(compgen -d -- "$cur")) ;;
                *) COMPREPLY=($(compgen -f -- "$cur")) ;;
            esac
            return ;;
        --profile) COMPREPLY=($(compgen -f -X '!*.json' -- "$cur")); return ;;
        --ocr) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --password|--ocr-dpi|--municipality|--municipality-code|--timeout|-j|--jobs|--shard|--department|--png|--license|--publisher|--source-url) return ;;
    esac
    if [[ -z $cmd && $cur != -* ]]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _hoshin hoshin
