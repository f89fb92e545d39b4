#!/bin/sh
# complete-unicode.sh: Tab matches player names without regard to case in
# any script, not only ASCII.  With Ünïcödé online, "kick ü" + Tab left the
# line as it was (the prefix was compared with strncasecmp, which folds
# ASCII only); with Émile and émilie, "tell é" did not reach their shared
# "Émil".  A name with an invalid byte where "ü" would start (C3 then a
# letter) must match nothing it does not spell.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file 'Ünïcödé' 'Émile' 'émilie' "$(printf '\303nope')" Bob)
start_alpha_tui -p "$PL" -c 'refresh = 1; health_refresh = 0; command_tree = false;' -f '│ Bob '
wait_screen '│ Ünïcödé '
# Lower case typed, upper case online: one candidate, completed.
type_text 'kick ü'
keys Tab
wait_screen 'alpha> kick Ünïcödé +RW'
keys C-u
# Two names that differ in the case of their first letter: the line grows
# to what they share, then Tab cycles through them.
type_text 'tell É'
keys Tab
wait_screen 'alpha> tell Émil +RW'
keys Tab
wait_screen 'alpha> tell Émile +RW'
keys Tab
wait_screen 'alpha> tell émilie +RW'
keys C-u
# Upper case typed against the invalid name and Ünïcödé: only Ünïcödé.
type_text 'kick Ü'
keys Tab
wait_screen 'alpha> kick Ünïcödé +RW'
type_text 'hi'
keys Enter
answer_yes 'send "kick Ünïcödé hi" to alpha\? \[y/N\]'
wait_log alpha 'kick Ünïcödé hi'

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
