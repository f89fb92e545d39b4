#!/bin/sh
# prompt-label.sh: a prompt's question too long for the bottom row is cut
# with an ellipsis and keeps its ": ", so the answer is not glued to a half
# word.  The gamemode prompt of a long name at 80 columns showed
# "gamemode Bob_the_Builder mode (survi" and the typed "sp" right after it:
# "(survisp".  Also after a resize to 40x10 with the prompt open, and back.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Bob_the_Builder)
start_alpha_tui -p "$PL" -c 'refresh = 60; health_refresh = 0; command_tree = false;' \
    -f '│ Bob_the_Builder '
focus_to 'Players'
keys Enter
wait_screen '╔ Bob_the_Builder '
keys g
wait_screen '^gamemode Bob_the_Builder mode \('
type_text 'sp'
wait_screen '^gamemode Bob_the_Builder mode \([a-z, ]*…: sp +RW'
resize 40 10
wait_screen '^gamemode Bob_th[^ ]*…: sp +RW'
resize 80 24
wait_screen '^gamemode Bob_the_Builder mode \([a-z, ]*…: sp +RW'
keys Tab
wait_screen '…: spectator +RW'
keys Enter
wait_log alpha 'gamemode spectator Bob_the_Builder'

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
