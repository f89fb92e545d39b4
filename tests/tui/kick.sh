#!/bin/sh
# kick.sh: player actions — the menu on a player, a kick asks y/N and is
# sent only after y; n cancels and sends nothing; keys typed ahead of the
# question neither answer it nor reach the line; a non-destructive action
# (message) is sent at once after its argument.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob Carol)
kicks() { grep -c '^kick' "$W/alpha.log"; }

start_alpha_tui -p "$PL" -c 'refresh = 1;' -f '│ Carol '
# Empty command line: Tab moves focus servers -> log -> players.
focus_to Players
keys Down
keys Enter
wait_screen 'k  kick'
keys k
wait_screen 'kick Bob reason \(optional\):'
type_text 'spamming'
keys Enter
wait_screen 'alpha: kick Bob spamming\? \[y/N\]'
[ "$(kicks)" = 0 ] || fail "kick sent before confirmation"
# A command typed ahead of the question neither answers it nor reaches
# the command line ("stop" once said no with its s and sent "top").
type_text 'stop'
wait_screen 'alpha: kick Bob spamming\? \[y/N\]'
keys n
wait_screen 'cancelled: kick Bob spamming'
# Nothing after the refusal either: a later command is logged alone.
# (Typing in the player pane goes to the command line.)
type_text 'seed'
keys Enter
wait_log alpha 'seed'
[ "$(kicks)" = 0 ] || fail "kick sent after n"
! grep -q 'top' "$W/alpha.log" || fail "the typed-ahead stop reached the server: $(cat "$W/alpha.log")"

# Again, and confirm (the selection is still on Bob: go to the top first).
focus_to Players
keys Up Up Down
keys Enter
wait_screen 'k  kick'
keys k
wait_screen 'kick Bob reason'
keys Enter
wait_screen 'alpha: kick Bob\? \[y/N\]'
[ "$(kicks)" = 0 ] || fail "kick sent before confirmation"
answer_yes 'alpha: kick Bob\? \[y/N\]'
wait_log alpha 'kick Bob'
[ "$(kicks)" = 1 ] || fail "expected exactly one kick, got $(kicks)"
wait_screen '> kick Bob'

# msg is not destructive: no question, sent after its text.
wait_screen_gone '║ Bob '
focus_to Players
keys Up
keys Enter
wait_screen 'm  message'
keys m
wait_screen 'message Alice message:'
type_text 'hi there'
keys Enter
wait_log alpha 'msg Alice hi there'

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
