#!/bin/sh
# more-above.sh: the help and the player panel say there is more above once
# they are scrolled to their end.  Their bottom border showed "↓" while more
# was below and then nothing at all: at the end of the help, or at the
# bottom of a long player list, nothing said the first rows were out of
# sight (the details, F2, showed "↑" there already).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

i=1
: > "$W/names.txt"
while [ $i -le 40 ]; do
	printf 'Player%02d\n' $i >> "$W/names.txt"
	i=$((i + 1))
done
start_alpha_tui -p "$W/names.txt" -m '--max-players 100' -c '' -f '│ Player01 ' 80x16
# The help: "↓" at the top, "↑" at the end.
keys F1
wait_screen 'Help: Up/Down scroll'
wait_for 'screen | grep -Eq "^.╚═+↓══╝"' "the help's more-below arrow"
n=0
while ! screen | grep -q ':quit'; do
	n=$((n + 1))
	[ $n -lt 40 ] || fail "PgDn never reached :quit"
	keys NPage
	sleep 0.1
done
wait_for 'screen | grep -Eq "^.╚═+↑══╝"' "the help's more-above arrow"
keys Escape
wait_screen_gone 'Help: Up/Down scroll'

# The player panel: down to the last player.
focus_to Players
wait_screen '║ Player01 '
n=0
while ! screen | grep -q '║ Player40 '; do
	n=$((n + 1))
	[ $n -lt 60 ] || fail "Down never reached Player40"
	keys Down
	sleep 0.05
done
wait_for 'screen | grep -Eq "╚═+↑══╝$"' "the player panel's more-above arrow"
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
