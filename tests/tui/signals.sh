#!/bin/sh
# signals.sh: every way out restores the terminal — SIGTERM, SIGINT and
# SIGHUP end the console as interrupted, exit 130 as in every mode (it was
# 128+signal, 143 and 129, against DESIGN.md and rconsole(1)); a fatal signal (SIGSEGV) restores
# the terminal and still dies of that signal; F10 quits with 0.  Restored
# means canonical mode with echo, the main screen, and bracketed paste off
# (a paste after exiting reaches the shell as plain text).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 2
alpha_config 'refresh = 1;'

for sig in TERM:130 INT:130 HUP:130 SEGV:139; do
	name=${sig%:*}
	want=${sig#*:}
	start_tui --config "$CFG"
	wait_screen '│● alpha '
	kill -s "$name" "$TUI_PID" || fail "cannot signal rconsole"
	st=$(wait_exit)
	[ "$st" = "$want" ] || fail "SIG$name: exit status $st, want $want"
	assert_restored
	after_paste
done
start_tui --config "$CFG"
wait_screen '│● alpha '
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "F10: exit status $st"
assert_restored
after_paste
exit 0
