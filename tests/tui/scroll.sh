#!/bin/sh
# scroll.sh: the log pane — long UTF-8 replies wrap without splitting wide
# characters or overflowing; PgUp leaves the bottom and new lines do not
# pull the view back; End follows again; Home and '/' search with n/N work.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob)
start_mcsim alpha --port 0 --players "$PL"
write_config <<CONF
refresh = 1;
servers = ( { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; } );
CONF

start_tui --config "$CFG"
wait_screen '│ Bob '
type_text 'sim chars 1500 cjk'
keys Enter
wait_log alpha 'sim chars 1500 cjk'
type_text 'sim chars 400 latin'
keys Enter
wait_log alpha 'sim chars 400 latin'
wait_screen '> sim chars 400 latin'
# Every row is exactly 80 columns: no wide character split or overflowing.
screen | while IFS= read -r line; do
	n=$(printf '%s' "$line" | wc -L)
	[ "$n" -le 80 ] || { echo "$n: $line"; exit 1; }
done || fail "a row is wider than the terminal"

# PgUp: off the bottom, marked; a join does not move the view.
keys PPage
wait_screen '↓ End'
wait_screen_gone '> sim chars 400 latin'
RCON_PASSWORD=secret "$RCONSOLE" -H 127.0.0.1 -P "$PORT_alpha" -c 'sim join Zed' >/dev/null ||
	fail "side channel join"
wait_screen '│ Zed '
screen | grep -q '+ Zed joined' && fail "the view followed new lines while scrolled up"
wait_screen '↓ End'
keys NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage
wait_screen '\+ Zed joined'
wait_screen_gone '↓ End'

# Home shows the first line; End comes back.
focus_to 'alpha '
keys Home
wait_screen '[0-9:]{8} connected'
keys End
wait_screen '\+ Zed joined'

# Search back for the first command; n finds no older one.
keys /
wait_screen 'search /'
type_text 'sim chars 1500'
keys Enter
wait_screen '> sim chars 1500 cjk'
keys n
wait_screen 'no older match: sim chars 1500'
keys N
wait_screen 'no newer match: sim chars 1500|> sim chars 1500 cjk'

# C-l repaints the whole frame.
keys End
wait_screen_gone '↓ End'
keys C-l
wait_screen '^┌ Servers 1 ─+┐╔ alpha'
wait_screen '\+ Zed joined'
assert_status_bar
[ "$(screen | wc -l)" = 24 ] || fail "screen rows changed after C-l"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
