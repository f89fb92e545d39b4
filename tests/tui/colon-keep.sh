#!/bin/sh
# colon-keep.sh: ':' typed in a pane starts a console command without
# losing the line being typed.  It emptied the command line and put ':'
# there, so a half-typed "ban Griefer x-ray, see report 45" left behind to
# look at the player panel was gone for good (not in the kill buffer, not in
# the history); now it is killed, and C-y brings it back.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 2 -c 'refresh = 0;' -f 'alpha>'
type_text 'say half typed'
wait_screen 'alpha> say half typed'
# To the player panel (S-Tab: Tab on a typed line completes), then ':'.
keys BTab
wait_screen '╔ Players'
type_text ':'
wait_screen 'C-y brings back the line you were typing'
# The next key clears the message: the line is ':' alone.
type_text 'x'
wait_screen 'alpha> :x +RW'
keys BSpace BSpace C-y
wait_screen 'alpha> say half typed +RW'
# ':' in a pane on an empty line says nothing.
keys C-a C-k BTab
wait_screen '╔ Players'
type_text ':'
wait_screen 'alpha> : +RW'
screen | grep -q 'C-y brings back' && fail "':' on an empty line spoke of a line"
keys C-u
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
