#!/bin/sh
# info-small.sh: the details (F2) show every row whole.  A value wider than
# the popup (a long host's look-up error) wraps under itself instead of
# being cut ("...invalid: Name or" and the rest lost), and on a terminal
# too short for every row (40x10) Up/Down scroll to the rows below, "last
# error" included, which were not shown at all; other keys still close it.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

write_config <<CONF
refresh = 0;
health_refresh = 0;
command_tree = false;
servers = ( { name = "far"; host = "a-rather-long-host-name-that-does-not-exist.invalid";
              port = 25575; password = "x"; } );
CONF

start_tui --config "$CFG"
wait_screen '│✖ far|│↻ far'
keys F2
wait_screen 'last error +a-rather-long-host-name-that-does-not-exist.invalid:'
# The rest of the error, on the row below, under the value column.
wait_screen '║ {15}[A-Za-z].*(known|found|failure|resolution)'
keys Escape
wait_screen_gone 'last error'

resize 40 10
wait_screen 'far'
keys F2
wait_screen 'state '
screen | grep -q 'last error' && fail "expected the popup not to fit at 40x10"
n=0
while ! screen | grep -q 'last error'; do
	n=$((n + 1))
	[ $n -le 20 ] || fail "Down never reached 'last error'"
	keys Down
	sleep 0.1
done
wait_screen 'last error'
# Still the details: Up goes back to the top, another key closes.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do keys Up; done
wait_screen '║ state '
keys x
wait_screen_gone '║ state '

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
