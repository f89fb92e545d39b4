#!/bin/sh
# actions.sh: the player panel's actions beyond kick — ban, op and deop ask
# y/N and send nothing before y; whitelist add/remove, gamemode and tp are
# sent at once, built by the Minecraft layer; the selection stays on the
# same player when a refresh drops a name above it; and a bracketed paste
# while the panel has focus is only text for the command line, never an
# Enter, a menu key and a 'y' that would ban someone.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob Carol Dave)

# Prints how many lines of alpha's log start with a word.
sent() { grep -c "^$1" "$W/alpha.log"; }

# Opens the action menu on the player in row $1 (1 = first) of the panel.
menu_on_row() {
	focus_to Players
	keys Up Up Up Up Up
	n=1
	while [ $n -lt "$1" ]; do
		keys Down
		n=$((n + 1))
	done
	keys Enter
	wait_screen 'm  message'
}

start_alpha_tui -p "$PL" -c 'refresh = 1;' -f '│ Dave '

# op: asks, n sends nothing.
menu_on_row 2
wait_screen '╔ Bob '
keys o
wait_screen 'alpha: op Bob\? \[y/N\]'
keys n
wait_screen 'cancelled: op Bob'
[ "$(sent op)" = 0 ] || fail "op sent after n"
# op again, y sends it once.
menu_on_row 2
keys o
wait_screen 'alpha: op Bob\? \[y/N\]'
[ "$(sent op)" = 0 ] || fail "op sent before the answer"
answer_yes 'alpha: op Bob\? \[y/N\]'
wait_log alpha 'op Bob'
# deop: asks too; anything but y cancels.
menu_on_row 2
keys d
wait_screen 'alpha: deop Bob\? \[y/N\]'
keys Enter
wait_screen 'cancelled: deop Bob'
[ "$(sent deop)" = 0 ] || fail "deop sent after Enter"
menu_on_row 2
keys d
answer_yes 'alpha: deop Bob\? \[y/N\]' Y
wait_log alpha 'deop Bob'

# Not destructive: sent at once.
menu_on_row 3
wait_screen '╔ Carol '
keys w
wait_log alpha 'whitelist add Carol'
menu_on_row 3
keys r
wait_log alpha 'whitelist remove Carol'
menu_on_row 3
keys g
wait_screen 'gamemode Carol mode'
type_text 'c'
keys Enter
wait_log alpha 'gamemode creative Carol'
menu_on_row 3
keys t
wait_screen 'teleport Carol destination'
type_text 'Alice'
keys Enter
wait_log alpha 'tp Carol Alice'

# The selection follows its player: Carol stays selected when Alice, above
# her, leaves and the next refresh moves her up a row.
menu_on_row 3
keys Escape
wait_screen_gone 'm  message'
RCON_PASSWORD=secret "$RCONSOLE" -H 127.0.0.1 -P "$PORT_alpha" -c 'sim leave Alice' >/dev/null ||
	fail "side channel leave"
wait_screen_gone '║ Alice '
wait_screen '- Alice left'
keys Enter
wait_screen '╔ Carol '
keys Escape
wait_screen_gone 'm  message'

# A paste that would answer the menu and the question: with the panel
# focused, Enter, b, Enter, y.  Bracketed, it is text for the command line.
focus_to Players
printf '\nb\ny' > "$W/paste.txt"
tmux -S "$SOCK" load-buffer -b evil "$W/paste.txt"
tmux -S "$SOCK" paste-buffer -p -b evil -t 0
wait_screen 'alpha> ␤b␤y'
wait_screen '2 lines pasted'
screen | grep -q 'y/N' && fail "a paste reached the y/N question"
[ "$(log_count alpha b)" = 0 ] || fail "a pasted line ran without Enter"
[ "$(sent ban)" = 0 ] || fail "a paste banned a player"
keys C-u

# On a short terminal the menu scrolls to keep the selection in view.
resize 70 10
wait_screen '┌ Players 3/20'
menu_on_row 1
keys Down Down Down Down Down Down Down Down
wait_screen 't  teleport'
wait_screen_gone 'm  message'
keys Escape
wait_screen_gone 't  teleport'
resize 80 24
wait_screen '[│║] Dave +[│║]$'

# ban: asks, and the reason is part of the question; a question too long
# for the row is cut, but still ends in "? [y/N]".
REASON='griefing the spawn area and then denying it in chat for an hour'
menu_on_row 3
wait_screen '╔ Dave '
keys b
wait_screen 'ban Dave reason \(optional\):'
type_text "$REASON"
keys Enter
wait_screen 'alpha: ban Dave griefing the spawn.*…\? \[y/N\]'
[ "$(sent ban)" = 0 ] || fail "ban sent before the answer"
answer_yes 'alpha: ban Dave griefing the spawn.*…\? \[y/N\]'
wait_log alpha "ban Dave $REASON"
[ "$(sent ban)" = 1 ] || fail "expected one ban, got $(sent ban)"
wait_screen_gone '║ Dave '

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
