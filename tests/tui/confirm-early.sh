#!/bin/sh
# confirm-early.sh: a 'y' that comes with the key that opened a y/N question
# is no answer: it was typed before the question could be read ("stop",
# Enter, 'y' as another tool's habit had it).  It rings the bell, the
# question stays open and nothing goes out; a 'y' once the question has
# been open a second answers (answer_yes).  The opening key and the 'y' go
# in one send-keys call, so they reach the console in one read however
# loaded the machine is.  On the command line that key is the keypad's
# Enter (ESC O M, KEY_ENTER under a terminfo entry that says so, tmux
# sends it once the console asked for keypad mode): a typed "\ry" in one
# read is a pasted line, which opens no question at all.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

# Waits for the bell rung at the early y (or for CMD in alpha's log, which
# fails), then checks the question (pattern $2) is still open.
refused_early() {
	CMD=$1
	wait_for '[ "$(bells)" -gt 0 ] || grep -Fxq -- "$CMD" "$W/alpha.log"' "the early y"
	grep -Fxq -- "$CMD" "$W/alpha.log" && fail "a y in the read of the key that opened the question sent '$CMD'"
	screen | grep -Eq -- "$2" || fail "the question closed at the early y"
}

TUI_ENV='TERM=screen.xterm-256color NCURSES_NO_UTF8_ACS=1' start_alpha_tui -p "$(players_file Bob)" \
    -c 'health_refresh = 0; command_tree = false;' -f '│ Bob ' 140x24

# A player action's question: the menu key and the y in one read.
focus_to Players
keys Enter
wait_screen 'o  op'
keys o y
refused_early 'op Bob' 'alpha: op Bob\? \[y/N\]'
answer_yes 'alpha: op Bob\? \[y/N\]'
wait_log alpha 'op Bob'

# A typed command's, the Enter and the y in one read (stop last: mcsim
# stops on it).
: > "$W/bells"
focus_to Servers
type_text 'stop'
wait_screen 'alpha> stop'
keys KPEnter y
refused_early stop 'send "stop" to alpha\? \[y/N\]'
answer_yes 'send "stop" to alpha\? \[y/N\]'
wait_log alpha stop
[ "$(log_count alpha stop)" = 1 ] || fail "stop went out $(log_count alpha stop) times"
screen | tail -n 1 | grep -Eq '^ alpha> {20}' || fail "a y was left on the command line"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
