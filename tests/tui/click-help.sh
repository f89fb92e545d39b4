#!/bin/sh
# click-help.sh: a click on "F1 help" in the status bar opens the help, as
# F1 does; it read as a button and a click did nothing.  A click elsewhere
# on the bottom row still only focuses the command line.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui
wait_screen 'RW .* F1 help  F10 quit$'
# The column of "F1 help" (the row is ASCII up to it), 1-based.
col=$(screen | tail -n 1 | grep -ob 'F1 help' | cut -d: -f1)
[ -n "$col" ] || fail "no F1 help in the status bar"
click $((col + 1)) 24
wait_screen '╔ Help'
keys q
wait_screen_gone '╔ Help'
click $((col + 4)) 24
wait_screen '╔ Help'
keys Escape
wait_screen_gone '╔ Help'
# The command line's part of the row: no help.
click 3 24
type_text 'sim echo after'
keys Enter
wait_log alpha 'sim echo after'
screen | grep -q '╔ Help' && fail "a click on the command line opened the help"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
