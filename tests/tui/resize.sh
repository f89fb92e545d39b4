#!/bin/sh
# resize.sh: the layout collapses cleanly as the terminal shrinks — the
# player panel goes first, then the server list becomes a tab bar at 40x10,
# below that a "too small" message — and comes back intact at 80x24; keys
# keep working at every size where the console can be seen (below it they
# are ignored and counted, never acted on blind) and nothing is drawn past
# the edges, at sizes from 20x5 to 200x60 and through a storm of resizes.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob)
start_mcsim alpha --port 0 --players "$PL"
start_mcsim beta --port 0 --players 1
servers_config 'refresh = 1;' alpha beta

# Asserts every screen row is at most $1 columns wide (display columns, so
# a wide character counts two) and there are at most $2 rows.
assert_fits() {
	rows=$(screen | wc -l)
	[ "$rows" -le "$2" ] || fail "$rows rows on a $2-row terminal"
	cols=$(screen | wc -L)
	[ "$cols" -le "$1" ] || fail "a row is $cols columns wide on a $1-column terminal"
}

start_tui --config "$CFG"
wait_screen '│ Alice '
wait_screen 'Players 2/20'

# 60 columns: no player panel, the list stays.
# (Wait for the console's own redraw, not tmux's clipped copy of the old one.)
resize 60 20
wait_screen '^┌ Servers 2 ─+┐┌ alpha[^┐]*┐$'
wait_screen '│● alpha '
assert_status_bar
assert_fits 60 20

# 40x10: a tab bar over the log.
resize 40 10
wait_screen '^●alpha ●beta'
wait_screen '^┌ alpha ─+┐$'
screen | head -n 1 | grep -Eq '●alpha.*●beta' || fail "no tab bar on the first row"
screen | sed -n 2p | grep -Eq '^┌ alpha' || fail "log box not under the tab bar"
assert_status_bar
assert_fits 40 10
# Switching server works here too, and the tab bar follows.
keys C-n
wait_screen '^┌ beta'
keys C-p
wait_screen '^┌ alpha'
type_text 'seed'
keys Enter
wait_log alpha 'seed'

# Too small: a message, no panes; quitting and redrawing work, and
# nothing typed there acts unseen.  A y/N question open when the terminal
# shrank is not answered by a blind y, a line typed blind is not sent; the
# screen counts the keys, and back at size the question is still shown,
# then a message says what was ignored.
type_text 'stop'
keys Enter
wait_screen 'send "stop" to alpha\? \[y/N\]'
resize 30 8
wait_screen 'terminal too small'
wait_screen_gone '┌'
keys y
wait_screen '1 key ignored'
type_text 'say blind'
keys Enter
wait_screen '11 keys ignored'
resize 20 5
wait_screen 'need 40x10'
wait_screen '11 keys ignored'
keys C-l
wait_screen 'need 40x10'
resize 80 24
wait_screen '^┌ Servers 2 '
wait_screen 'send "stop" to alpha\? \[y/N\]'
keys n
wait_screen 'cancelled: stop'
grep -Eq '^(stop|say blind)$' "$W/alpha.log" && fail "a key typed too small was acted on: $(cat "$W/alpha.log")"
type_text 'say seen'
keys Enter
wait_log alpha 'say seen'
grep -Eq '^(stop|say blind)$' "$W/alpha.log" && fail "a key typed too small was acted on: $(cat "$W/alpha.log")"
# The message, when no question is open.
resize 30 8
wait_screen 'terminal too small'
type_text 'x'
wait_screen '1 key ignored'
resize 80 24
wait_screen '1 key typed while the terminal was too small was ignored: nothing was sent'
keys C-l   # (a key clears the message)
wait_screen_gone 'was ignored'
resize 20 5
wait_screen 'need 40x10'
wait_screen_gone 'ignored'

# Back to the design size: everything is there again.
resize 80 24
wait_screen '^┌ Servers 2 ─+┐┌ alpha.*┐┌ Players 2/20 ─*┐$'
wait_screen '│ Alice '
wait_screen '> seed'
assert_status_bar
assert_fits 80 24
[ "$(screen | wc -l)" = 24 ] || fail "not 24 rows after resizing back"

# Every kind of size, one at a time: the console redraws for it (the size
# in the "too small" message, or a box's top-right corner in the last
# column and the status flush right on the last row) and never draws past
# an edge.  Around each threshold: 40x10, tabs to list at 54 columns, list
# to full at 70.
for size in 20x5 39x10 40x9 40x10 45x12 53x10 54x14 60x20 69x24 70x24 81x25 100x30 \
    137x41 199x59 200x60 40x60 200x10; do
	w=${size%x*}
	h=${size#*x}
	resize "$w" "$h"
	if [ "$w" -lt 40 ] || [ "$h" -lt 10 ]; then
		wait_screen "have ${w}x${h}"
	else
		wait_for '[ "$(screen | wc -l)" = "$h" ] &&
		    screen | head -n 2 | grep -Eq "[┐╗]\$" &&
		    screen | tail -n 1 | grep -Eq "[^ ]\$"' "a redraw at ${w}x${h}"
		assert_status_bar
	fi
	assert_fits "$w" "$h"
done
# A storm of sizes without waiting, as a window manager dragging the
# corner sends: the console survives it and settles on the last size.
for size in 30x6 200x60 41x10 120x12 40x40 70x24 20x5 90x30; do
	resize "${size%x*}" "${size#*x}"
done
resize 80 24
kill -0 "$TUI_PID" 2>/dev/null || fail "rconsole died while resizing"
wait_screen '^┌ Servers 2 ─+┐┌ alpha.*┐┌ Players 2/20 ─*┐$'
wait_screen '│ Alice '
assert_status_bar
assert_fits 80 24

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
assert_restored
exit 0
