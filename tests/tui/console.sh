#!/bin/sh
# console.sh: the ':' console commands on a writable console — :all sends
# to every server, each reply lands in its own server's pane and, as a
# "[name] ..." block, in the pane :all was typed in; :tag sends
# only to the tagged ones; :disconnect NAME and :connect NAME act on the
# named server, not the selected one; :save rewrites the profiles file
# (mode 0600, still loadable); unknown commands and names are refused with
# a message and send nothing.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsims '--players 2' alpha beta gamma
servers_config '// a comment :save does not keep
refresh = 0;' 'alpha:tags = [ "prod" ]; ' 'beta:tags = [ "prod", "eu" ]; ' 'gamma:tags = [ "dev" ]; '

start_tui --config "$CFG"
wait_servers_up alpha beta gamma

# :all reaches every server once; the pane it was typed in gathers every
# answer, one block per server, and each other pane shows its own.
type_text ':all sim echo from-all'
keys Enter
answer_yes 'send "sim echo from-all" to 3 servers: alpha, beta, gamma\? \[y/N\]'
wait_screen ':all: sent to 3 of 3 servers'
for s in alpha beta gamma; do
	wait_log "$s" 'sim echo from-all'
done
wait_screen '> :all sim echo from-all'
for s in alpha beta gamma; do
	wait_screen "││\\[$s\\] from-all +│"
done
[ "$(screen | grep -c 'from-all')" = 4 ] || fail "the typing pane shows an answer twice"
keys M-3
wait_screen '┐┌ gamma '
wait_screen '> sim echo from-all'
wait_screen '^│.*││from-all +│'
screen | grep -q '\[alpha\]' && fail "gamma's own pane shows another server's answer"

# :tag: only the tagged servers (case-insensitive).
type_text ':tag PROD seed'
keys Enter
wait_screen ':tag: sent to 2 of 2 servers'
wait_log alpha 'seed'
wait_log beta 'seed'
# gamma's pane, where it was typed, gathers both answers though gamma is
# not tagged.
wait_screen '> :tag PROD seed'
wait_screen '││\[alpha\] Seed: '
wait_screen '││\[beta\] Seed: '
type_text ':tag dev sim echo gamma-only'
keys Enter
answer_yes 'send "sim echo gamma-only" to 1 server: gamma\?'
wait_log gamma 'sim echo gamma-only'
grep -q 'gamma-only' "$W/alpha.log" "$W/beta.log" && fail ":tag dev reached an untagged server"
[ "$(log_count gamma seed)" = 0 ] || fail ":tag prod reached gamma"

# :disconnect NAME acts on that server while gamma stays selected.
type_text ':disconnect beta'
keys Enter
wait_screen '│○ beta +off'
wait_screen '┐┌ gamma '
screen | grep -q '│● alpha ' || fail "alpha changed state"
type_text ':all sim echo after-disconnect'
keys Enter
answer_yes 'send "sim echo after-disconnect" to 2 servers: alpha, gamma'
wait_screen ':all: sent to 2 of 3 servers'
wait_log alpha 'sim echo after-disconnect'
grep -q 'after-disconnect' "$W/beta.log" && fail "a disconnected server got a command"
type_text ':connect beta'
keys Enter
wait_screen '│● beta '
# Unknown names and commands: a message, nothing else.
type_text ':connect nosuch'
keys Enter
wait_screen ":connect: no server named 'nosuch'"
# Two names: refused whole (it disconnected alpha and said nothing of beta).
type_text ':disconnect alpha beta'
keys Enter
wait_screen 'usage: :disconnect \[NAME\] \(one server; nothing done\)'
screen | grep -q '│● alpha ' || fail ":disconnect alpha beta disconnected alpha"
type_text ':frobnicate now'
keys Enter
wait_screen "unknown console command ':frobnicate'"

# :save rewrites the file atomically with mode 0600; it still loads.
type_text ':save'
keys Enter
wait_screen "saved $CFG"
grep -q 'a comment :save does not keep' "$CFG" && fail ":save left the file as it was"
[ "$(stat -c %a "$CFG")" = 600 ] || fail "saved config mode $(stat -c %a "$CFG")"
grep -q '"gamma"' "$CFG" || fail "gamma missing from the saved file"
"$RCONSOLE" --config "$CFG" --check-config >/dev/null 2>&1 || fail "the saved file does not load"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
