#!/bin/sh
# twin-pass.sh: the console given its password with -p connects with it
# and warns once.  A static rconsole hands the console to its twin
# (src/cli/twin.c) after parsing scrubbed -p's password from argv: the
# twin must get the password as typed, not the x's, and the warning must
# not be said twice; and the process is still called rconsole.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup
start_mcsim alpha --players 2
start_tui -H 127.0.0.1 -P "$PORT" -p secret
wait_screen 'Players 2/'
# ps, top and pgrep -x see the name typed, not the twin's file name.
comm=$(cat "/proc/$TUI_PID/comm") || fail "no /proc/$TUI_PID/comm"
[ "$comm" = rconsole ] || fail "the console's process name is '$comm', not rconsole"
type_text 'list'
keys Enter
wait_screen 'There are 2 of a max of'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st: $(cat "$W/stderr")"
! grep -q '#auth-failed' "$W/alpha.log" || fail "mcsim refused the password: $(cat "$W/alpha.log")"
n=$(grep -c 'visible to other users' "$W/stderr")
[ "$n" = 1 ] || fail "the -p warning was said $n times: $(cat "$W/stderr")"
exit 0
