#!/bin/sh
# scroll.sh: the log pane — long UTF-8 replies wrap without splitting wide
# characters or overflowing, and UTF-8 player names keep the panel's border
# in place; PgUp leaves the bottom and new lines do not pull the view back;
# End follows again; Home shows the oldest line; '/' finds the newest match
# and n/N step to older and newer ones, scrolling to them; a scrolled-up
# view whose lines are evicted from the scrollback stays put on the oldest
# line kept; C-l repaints.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob 'Zoë' '李小龍')
# Asserts no screen row is wider than the terminal (display columns).
assert_width() {
	n=$(screen | wc -L)
	[ "$n" -le 80 ] || fail "a row is $n columns wide"
}

start_alpha_tui -p "$PL" -c 'refresh = 1;' -f '│ Bob '
# Wide and accented names: the panel's right border stays in its column.
wait_screen '│ 李小龍 +│$'
wait_screen '│ Zoë +│$'
for cmd in 'sim echo needle-one' 'sim chars 1500 cjk' 'sim chars 400 latin' 'sim echo needle-two'; do
	type_text "$cmd"
	keys Enter
	wait_log alpha "$cmd"
done
wait_screen '[│║]needle-two +[│║]'
assert_width

# PgUp: off the bottom, marked; a join does not move the view.
keys PPage
wait_screen '↓ PgDn'
wait_screen_gone 'needle-two'
RCON_PASSWORD=secret "$RCONSOLE" -H 127.0.0.1 -P "$PORT_alpha" -c 'sim join Zed' >/dev/null ||
	fail "side channel join"
wait_screen '│ Zed '
screen | grep -q '+ Zed joined' && fail "the view followed new lines while scrolled up"
wait_screen '↓ PgDn'
keys NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage
wait_screen '\+ Zed joined'
wait_screen_gone '↓ PgDn'

# Home shows the first line; End comes back.
focus_to 'alpha '
keys Home
wait_screen '[0-9:]{8} connected'
wait_screen '↓ End'
keys End
wait_screen '\+ Zed joined'
wait_screen_gone '↓ End'

# '/' finds the newest match; n goes older (the command, then the first
# reply, far up: the view moves there); N comes back; past the oldest, n
# says so.
keys /
wait_screen 'search /'
type_text 'needle'
# The prompt is on screen until its Enter is read: wait for that, or an n
# sent at once can reach the console in the same read as the search text
# (a burst that reads as a paste, under load).
wait_screen 'search /needle'
keys Enter
wait_screen_gone 'search /needle'
wait_screen '[│║]needle-two +[│║]'
keys n
wait_screen '> sim echo needle-two'
keys n
wait_screen '[│║]needle-one +[│║]'
wait_screen_gone 'needle-two'
wait_screen '↓ End'
keys N
wait_screen '> sim echo needle-two'
wait_screen_gone '[│║]needle-one +[│║]'
keys n n n
wait_screen 'no older match: needle'
assert_width

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

# Eviction: 100 lines of scrollback, the view at the oldest line, then a
# reply of 150 lines.  The view stays scrolled up, on what is now the
# oldest line; End shows the newest.
stop_mcsim alpha
seq -f 'P%03g' 1 150 > "$W/many.txt"
start_mcsim beta --port 0 --players "$W/many.txt" --max-players 200
write_config <<CONF
refresh = 0;
scrollback = 100;
servers = ( { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; } );
CONF
start_tui --config "$CFG"
wait_screen '[0-9:]{8} connected'
type_text 'sim echo first-marker'
keys Enter
wait_screen '[│║]first-marker +[│║]'
type_text 'sim chars 1500 latin'
keys Enter
wait_log beta 'sim chars 1500 latin'
wait_screen_gone 'first-marker'
focus_to 'beta '
keys Home
wait_screen '[│║]first-marker +[│║]' 
wait_screen '↓ End'
# Sending a command brings the log back to its newest line; :all too.
type_text 'sim echo back-down'
keys Enter
wait_screen '[│║]back-down +[│║]'
wait_screen_gone '↓ (End|PgDn)'
focus_to 'beta '
keys Home
wait_screen '↓ End'
type_text ':all sim names'
keys Enter
answer_yes 'send "sim names" to 1 server: beta'
wait_log beta 'sim names'
# The pane :all was typed in follows the answers, shown as "[beta] ...".
wait_screen '[│║]\[beta\] P150 +[│║]'
wait_screen_gone '↓ End'
focus_to 'beta '
keys End
wait_screen '[│║]\[beta\] P150 +[│║]'
wait_screen_gone '↓ End'
assert_width

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
