#!/bin/sh
# complete-prompt.sh: Tab completes a player as tp's destination, on the
# command line and in the player menu's teleport prompt, and a game mode in
# its gamemode prompt.  "tp Alice " + Tab did nothing: the server's tree
# calls tp's second argument <destination>, which was not taken for a
# player; and Tab in an action's prompt was ignored, so "teleport Bob to
# Al" + Tab stayed "Al", with the names beside it in the panel.  The
# player tp moves is not offered as its destination unless typed in full.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob_the_Builder .BedrockSteve)
start_alpha_tui -p "$PL" -c 'refresh = 60; health_refresh = 0;' -f '│ Bob_the_Builder ' 120x24

# The command line, once the command tree is read (its usage is the hint).
# Alice is not offered as her own destination ...
type_text 'tp Alice '
wait_screen '^tp Alice \[<location>\|<destination>\]'
keys Tab
wait_screen '^\.BedrockSteve  Bob_the_Builder *$'
wait_screen 'alpha> tp Alice \.BedrockSteve +RW'
keys C-u
wait_screen_gone 'BedrockSteve  Bob_the_Builder'
# ... but typed in full she still is.
type_text 'tp Alice alice'
keys Tab
wait_screen 'alpha> tp Alice Alice +RW'
keys C-u
wait_screen_gone 'alpha> tp Alice'

# The teleport prompt of the player menu: Bob_the_Builder to Alice.
focus_to 'Players'
keys Down Down
keys Enter
wait_screen '╔ Bob_the_Builder '
keys t
wait_screen 'destination \(player or x y z\): '
type_text 'al'
keys Tab
wait_screen 'destination \(player or x y z\): Alice'
keys Enter
wait_log alpha 'tp Bob_the_Builder Alice'

# The gamemode prompt: "sp" + Tab is spectator.
keys Enter
wait_screen '╔ Bob_the_Builder '
keys g
wait_screen 'gamemode Bob_the_Builder mode'
type_text 'sp'
keys Tab
wait_screen ': spectator '
keys Enter
wait_log alpha 'gamemode spectator Bob_the_Builder'

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
