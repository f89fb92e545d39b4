#!/bin/sh
# paste-escapes.sh: without bracketed paste, a burst of lines is a paste
# even when it holds an escape sequence.  Such a burst ("\e[Ckick Bob\ry",
# as a web page's copy button can put on the clipboard) was delivered as
# typed keys: its CR ran "kick Bob" and its 'y' answered the question, so
# the command went out without a key pressed.  Now it lands on the command
# line as text, as every other burst of lines does.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 1 140x24
printf '\033[Ckick Bob\ry' > "$W/jack.txt"
tmux -S "$SOCK" load-buffer -b jack "$W/jack.txt"
# No -p: the terminal pastes without the bracketed-paste markers.
tmux -S "$SOCK" paste-buffer -b jack -t 0
wait_screen '2 lines pasted'
keys Escape
wait_screen 'paste cancelled: nothing sent'
grep -qx 'kick Bob' "$W/alpha.log" && fail "the pasted line was run and answered"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
