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
# The password no longer shows in the running console's argv.
! tr '\0' ' ' < "/proc/$TUI_PID/cmdline" | grep -q secret ||
	fail "the password is still in argv: $(tr '\0' ' ' < "/proc/$TUI_PID/cmdline")"
type_text 'list'
keys Enter
wait_screen 'There are 2 of a max of'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st: $(cat "$W/stderr")"
! grep -q '#auth-failed' "$W/alpha.log" || fail "mcsim refused the password: $(cat "$W/alpha.log")"
n=$(grep -c 'visible to other users' "$W/stderr")
[ "$n" = 1 ] || fail "the -p warning was said $n times: $(cat "$W/stderr")"

# A profile named before the options: getopt reorders argv while parsing,
# and the twin, handed that argv, must read it the same.
write_config <<CONF
servers = ( { name = "alpha"; host = "127.0.0.1"; port = $PORT; password = "secret"; } );
CONF
start_tui alpha --config "$CFG"
wait_screen 'Players 2/'
wait_screen '│● alpha '
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st: $(cat "$W/stderr")"
exit 0
