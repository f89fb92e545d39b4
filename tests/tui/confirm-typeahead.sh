#!/bin/sh
# confirm-typeahead.sh: a command typed on after a y/N question opened does
# not answer it with a 'y' of its own.  "stop", Enter, then "say bye" typed
# on sent stop: 's' and 'a' beeped and the 'y' of "say" answered yes.  Now a
# 'y' right after keys that were no answer is no answer either; a 'y'
# typed once the keyboard has been quiet a moment still is.  A 'y' in the
# question's first second is no answer anyway (confirm-early.sh), so the
# command is typed on only once that second has surely passed.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 1 140x24
type_text 'kick Bob'
keys Enter
wait_screen 'send "kick Bob" to alpha\? \[y/N\]'
# Open for more than a second by the time 'say bye' comes: it is on screen
# now, and it opened before it was drawn.
sleep 1.1
type_text 'say bye'
keys Escape
wait_screen 'cancelled: kick Bob$'
grep -qx 'kick Bob' "$W/alpha.log" && fail "the y of a typed-on 'say bye' answered the question"

# Typed on, then y once the keys have stopped: that is an answer.
type_text 'kick Bob'
keys Enter
wait_screen 'send "kick Bob" to alpha\? \[y/N\]'
type_text 'sa'
answer_yes 'send "kick Bob" to alpha\? \[y/N\]'
wait_log alpha 'kick Bob'
[ "$(log_count alpha 'kick Bob')" = 1 ] || fail "kick Bob went out $(log_count alpha 'kick Bob') times"

keys C-u F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
