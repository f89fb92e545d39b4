#!/bin/sh
# offline-rtt.sh: the status bar shows no round trip for a server that is
# not connected.  After a command was answered it shows "N ms"; after
# :disconnect, and while the server is down and the console reconnecting,
# it shows "- ms" — it kept the last round trip ("disconnected  RW  0 ms",
# "reconnecting in 2 s  RW  0 ms"), as if the server answered at once.
# The details overlay (F2) said "round trip now 0.3 ms" the same way.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 2 -c 'refresh = 0;' -f 'alpha>'
type_text 'sim echo hello'
keys Enter
wait_screen '│hello +│'
wait_screen 'alpha> +RW  [0-9]+ ms '
# The player panel's note starts in the names' column (one in from the
# border; it started on the border's next column, one left of them).
wait_screen '│ \(refresh off\) '

keys F2
wait_screen 'round trip +now [0-9.]+ ms, average'
keys Escape
wait_screen_gone 'round trip'

type_text ':disconnect'
keys Enter
wait_screen 'alpha> +disconnected  RW  - ms'
wait_screen '│ \(offline\) '
# The details (F2) say no round trip "now" either; the average stays.
keys F2
wait_screen 'round trip +now -, average [0-9.]+ ms'
keys Escape
wait_screen_gone 'round trip'
type_text ':connect'
keys Enter
wait_screen '^ alpha> +RW '

# The server goes away: reconnecting, no round trip.
stop_mcsim alpha
wait_screen 'alpha> +(reconnecting in [0-9]+ s|connecting)  RW  - ms'

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
