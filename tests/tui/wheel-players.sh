#!/bin/sh
# wheel-players.sh: the mouse wheel over the player panel goes through the
# players; it scrolled the log whatever it was over, so on a server with
# more players than the panel has rows, the rest could not be reached with
# the mouse.  Over the log it still scrolls the log.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file $(seq -f 'p%02g' 1 30))
start_alpha_tui -p "$PL" -m '--max-players 40' -c 'refresh = 60; health_refresh = 0; command_tree = false;' \
    -f '│ p01 '
screen | grep -Eq '[│║] p30 ' && fail "the panel shows all 30 players: nothing to scroll"
# A click on p01 focuses the panel, so its selection shows as it moves.
click 70 2
wait_screen '╔ Players'
n=0
while ! screen | grep -Eq '[│║] p30 '; do
	n=$((n + 1))
	[ $n -gt 15 ] && fail "the wheel over the player panel never reached p30"
	before=$(screen_sgr)
	wheel down 70 10
	BEFORE=$before
	wait_for '[ "$(screen_sgr)" != "$BEFORE" ]' "the wheel to move the players"
done
wait_screen_gone '[│║] p01 '
screen | grep -Eq 'PgDn' && fail "the wheel over the players scrolled the log"
while ! screen | grep -Eq '[│║] p01 '; do
	n=$((n + 1))
	[ $n -gt 40 ] && fail "the wheel up over the player panel never got back to p01"
	before=$(screen_sgr)
	wheel up 70 10
	BEFORE=$before
	wait_for '[ "$(screen_sgr)" != "$BEFORE" ]' "the wheel to move the players back"
done

# Over the log, the log.
type_text 'sim chars 3000 latin'
keys Enter
wait_log alpha 'sim chars 3000 latin'
wheel up 40 10
wait_screen '↓ PgDn'

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
