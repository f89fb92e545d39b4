#!/bin/sh
# resize.sh: the layout collapses cleanly as the terminal shrinks — the
# player panel goes first, then the server list becomes a tab bar at 40x10,
# below that a "too small" message — and comes back intact at 80x24; keys
# keep working at every size and nothing is drawn past the edges.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob)
start_mcsim alpha --port 0 --players "$PL"
start_mcsim beta --port 0 --players 1
write_config <<CONF
refresh = 1;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; }
);
CONF

# Asserts every screen row is at most $1 columns wide and there are $2 rows.
assert_fits() {
	rows=$(screen | wc -l)
	[ "$rows" -le "$2" ] || fail "$rows rows on a $2-row terminal"
	screen | while IFS= read -r line; do
		n=$(printf '%s' "$line" | wc -m)
		[ "$n" -le "$1" ] || { echo "row of $n columns: $line"; exit 1; }
	done || fail "a row is wider than $1 columns"
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

# Too small: a message, no panes; keys still handled.
resize 30 8
wait_screen 'terminal too small'
wait_screen_gone '┌'
resize 20 5
wait_screen 'need 40x10'

# Back to the design size: everything is there again.
resize 80 24
wait_screen '^┌ Servers 2 ─+┐┌ alpha.*┐┌ Players 2/20 ─*┐$'
wait_screen '│ Alice '
wait_screen '> seed'
assert_status_bar
assert_fits 80 24
[ "$(screen | wc -l)" = 24 ] || fail "not 24 rows after resizing back"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
assert_restored
exit 0
