#!/bin/sh
# kick-colour.sh: a name that a plugin colours in the player list (a
# nickname or rank colour: "§cAlice§r") shows in the panel without its codes,
# and an action chosen on it sends that plain name: an account name cannot
# hold '§' (vanilla allows a-z, A-Z, 0-9 and _), so the plain name is the
# one the server knows; the codes never reach the command.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file '§cAlice§r' Bob)
start_alpha_tui -p "$PL" -c 'refresh = 1;' -f '│ Alice '
wait_screen '│ Bob '
screen | grep -q '§' && fail "a colour code reached the screen: $(screen)"
focus_to Players
keys Enter
wait_screen 'k  kick'
keys k
wait_screen 'kick Alice reason \(optional\):'
keys Enter
answer_yes 'alpha: kick Alice\? \[y/N\]'
wait_log alpha 'kick Alice'
grep -q '§' "$W/alpha.log" && fail "a colour code was sent: $(grep '§' "$W/alpha.log")"
keys F10
[ "$(wait_exit)" = 0 ] || fail "console exit status $(cat "$W/exit")"
exit 0
