#!/bin/sh
# status-narrow.sh: a narrow status bar keeps the selected server's state
# in its short form ("retry 3s", "off") instead of dropping it.  At 40
# columns a server that went down showed "RW" alone, and at 40 columns the
# server list is a tab bar that may not even show it: nothing said why every
# command was refused.  Wider, the long form is back.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -f '^●alpha' 40x10
stop_mcsim alpha
wait_screen ' retry [0-9]+s  RW$'
keys F6
wait_screen ' alpha> +off  RW$'
resize 60 12
wait_screen ' alpha> +disconnected  RW  - ms$'
resize 40 10
wait_screen ' alpha> +off  RW$'

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
