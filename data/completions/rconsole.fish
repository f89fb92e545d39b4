# rconsole(1) completion for fish, installed into vendor_completions.d.
# Profile names and tags come from `rconsole --list-profiles --names` and
# `--tags`, run with the --config the command line already has: the
# configuration file is never parsed here.

# Prints the profile names (names) or tags (tags) rconsole knows.
function __rconsole_list
    set -l tokens (commandline -opc)
    set -l cfg
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case --config
                set -l j (math $i + 1)
                test $j -le (count $tokens); and set cfg --config $tokens[$j]
            case '--config=*'
                set cfg --config (string replace -- --config= '' $tokens[$i])
        end
    end
    $tokens[1] $cfg --list-profiles --$argv[1] 2>/dev/null
end

# True when -H is on the line (the words are then server commands).
function __rconsole_has_host
    set -l tokens (commandline -opc)
    string match -q -r -- '^(-H|--host)' $tokens
end

complete -c rconsole -f
complete -c rconsole -n 'not __rconsole_has_host' -a '(__rconsole_list names)' -d profile
complete -c rconsole -l config -r -F -d 'profiles file'
complete -c rconsole -s H -l host -x -a '(__fish_print_hostnames)' -d 'server address'
complete -c rconsole -s P -l port -x -d 'RCON port'
complete -c rconsole -l password-file -r -F -d 'read the password from a file'
complete -c rconsole -s p -l password -x -d 'password (visible to other users)'
complete -c rconsole -s c -l command -x -d 'run a command and exit (- reads stdin)'
complete -c rconsole -l raw-input -d 'send lines from stdin exactly as read'
complete -c rconsole -s r -l read-only -d 'send only read-only commands'
# --color and --raw take an optional value, only as --color=VALUE (getopt
# takes no separate word): -f -a without -r offers the values after '=' only.
complete -c rconsole -l color -f -a 'auto always never' -d 'colour replies'
complete -c rconsole -l no-color -d 'no colours'
complete -c rconsole -l raw -f -a force -d 'print replies byte for byte (--raw=force)'
complete -c rconsole -l timeout -x -d 'connect, auth and command timeout'
complete -c rconsole -s q -l quiet -d 'print no replies'
complete -c rconsole -s s -l silent -d 'print no replies (mcrcon)'
complete -c rconsole -l dialect -x -a 'minecraft source' -d 'protocol dialect'
complete -c rconsole -l tag -x -a '(__rconsole_list tags)' -d 'every profile tagged TAG'
complete -c rconsole -l all -d 'every profile'
complete -c rconsole -l json -d '--status or --players as JSON'
complete -c rconsole -l status -d 'one line per server'
complete -c rconsole -l players -d 'online players'
complete -c rconsole -l demo -d 'console on simulated servers'
complete -c rconsole -l metrics -x -d 'serve Prometheus /metrics on [ADDR:]PORT, headless'
complete -c rconsole -l metrics-file -r -F -d 'write the metrics to a file'
complete -c rconsole -l check-config -d 'check the configuration'
complete -c rconsole -l list-profiles -d 'list the profiles'
complete -c rconsole -l names -d 'with --list-profiles: names only'
complete -c rconsole -l tags -d 'with --list-profiles: tags only'
complete -c rconsole -l no-mouse -d 'leave the mouse to the terminal'
complete -c rconsole -s t -l terminal -d 'open the console'
complete -c rconsole -s v -l version -d 'print the versions'
complete -c rconsole -s h -l help -d 'print the help'
