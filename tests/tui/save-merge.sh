#!/bin/sh
# save-merge.sh: two real consoles on one configuration file.  Each :adds a
# different server; both additions land in the file (the second console's
# save is merged into the file the first one wrote), and the second says in
# its log pane that a profile added elsewhere is in the file.  Then :save in
# the first console keeps the second's profile.  An editor's syntax error
# is reported with file:line and the new profile stays usable, in memory
# only, until :save once the file is fixed (the editor's own addition kept).
# A console started afterwards opens every profile.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

# The second console: its own tmux server and run directory (lib.sh drives
# the first one).
SOCK2="$W/tmux2.sock"
W2="$W/c2"
mkdir -p "$W2"
trap 'rc=$?; tmux -S "$SOCK2" kill-server >/dev/null 2>&1; tui_cleanup; exit $rc' EXIT
screen2() { tmux -S "$SOCK2" capture-pane -p -t 0 2>/dev/null; }
keys2() { tmux -S "$SOCK2" send-keys -t 0 "$@"; }
type2() { tmux -S "$SOCK2" send-keys -t 0 -l "$1"; }
wait_screen2() {
	PAT=$1
	wait_for 'screen2 | grep -Eq -- "$PAT"' "the second console to show /$1/"
}
both_screens() {
	tui_fail_details
	say "---- second console ----"
	screen2 >&2
	[ -s "$W2/stderr" ] && cat "$W2/stderr" >&2
	return 0
}
FAIL_HOOK=both_screens
# Adds a server through :add in the second console (as add_server does).
add_server2() {
	type2 ':add'
	keys2 Enter
	wait_screen2 'new server name:'
	type2 "$1"
	keys2 Enter
	wait_screen2 'host\[:port\]:'
	type2 "$2"
	keys2 Enter
	wait_screen2 'tags'
	keys2 Enter
	wait_screen2 'read-only'
	keys2 Enter
	wait_screen2 'RCON password:'
	type2 "$3"
	keys2 Enter
}

start_mcsim alpha --port 0 --players 1
start_mcsim beta --port 0 --players 1
start_mcsim gamma --port 0 --players 1
start_mcsim delta --port 0 --players 1
alpha_config 'refresh = 0;'

start_tui 120x30 --config "$CFG"
wait_screen '│● alpha '
tmux -u -S "$SOCK2" -f "$W/tmux.conf" new-session -d -x 200 -y 30 \
	"'$W/run.sh' '$W2' '$RCONSOLE' --config '$CFG'" || fail "tmux did not start"
wait_for 'test -s "$W2/pid"' "the second console to start"
wait_screen2 '│● alpha '

# Both consoles read the file; the first adds beta, the second gamma.
add_server beta "127.0.0.1:$PORT_beta" secret
wait_screen 'added beta'
add_server2 gamma "127.0.0.1:$PORT_gamma" secret
wait_screen2 'added gamma'
wait_screen2 '1 profile added elsewhere is in the file .beta.; restart rconsole'
screen2 | grep -q 'cannot save' && fail "the second :add was refused"
for n in alpha beta gamma; do
	grep -q "\"$n\"" "$CFG" || fail "$n is not in the file: $(cat "$CFG")"
done
[ "$(stat -c %a "$CFG")" = 600 ] || fail "config mode $(stat -c %a "$CFG")"
# The second console's new server works.
type2 'seed'
keys2 Enter
wait_log gamma 'seed'

# A plain :save in the first console keeps gamma.
type_text ':save'
keys Enter
wait_screen "saved $CFG"
wait_screen '1 profile added elsewhere is in the file .gamma.'
grep -q '"gamma"' "$CFG" || fail ":save dropped gamma: $(cat "$CFG")"
grep -q '"beta"' "$CFG" || fail ":save dropped beta: $(cat "$CFG")"

# An editor leaves the file broken: the second console's :add says where,
# saves nothing, and keeps delta in memory (it connects).
good=$(cat "$CFG")
printf 'servers = (\n  { name = "alpha"; host = ; }\n);\n' > "$CFG"
broken=$(cat "$CFG")
add_server2 delta "127.0.0.1:$PORT_delta" secret
wait_screen2 "rconsole\.conf:2: "
wait_screen2 '│● delta '
[ "$(cat "$CFG")" = "$broken" ] || fail "the broken file was written: $(cat "$CFG")"
type2 'seed'
keys2 Enter
wait_log delta 'seed'
# Fixed by the editor, who adds a profile too: :save carries delta.
printf '%s\n' "$good" | sed "s/^servers = (/servers = (\\
  { name = \"zeta\"; host = \"127.0.0.1\"; port = $PORT_alpha; password = \"secret\"; },/" > "$CFG"
grep -q '"zeta"' "$CFG" || fail "test bug: the editor's fix has no zeta: $(cat "$CFG")"
type2 ':save'
keys2 Enter
wait_screen2 "saved $CFG"
for n in alpha beta gamma delta zeta; do
	grep -q "\"$n\"" "$CFG" || fail "$n is not in the file after :save: $(cat "$CFG")"
done

keys2 F10
wait_for 'test -s "$W2/exit"' "the second console to exit"
[ "$(cat "$W2/exit")" = 0 ] || fail "second console exit status $(cat "$W2/exit")"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# A new console opens all of them.
start_tui 120x30 --config "$CFG"
for n in alpha beta gamma delta zeta; do
	wait_screen "│● $n "
done
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
