#!/bin/sh
# paste-marker.sh: pasted text cannot end the paste early.  A bracketed
# paste whose text holds the end marker itself (ESC [ 201 ~, which tmux and
# some terminals pass through) followed by "\rsay injected\rstop\ry" ran as
# typed keys: "say hi" was sent at once, then "say injected", then stop —
# the pasted y answering its question — and the server stopped.  Now all of
# it is text on the command line: nothing is sent, the hint counts its
# lines, Esc drops it.  The same with the keypad's Enter (ESC O M, a
# function key) after the marker; with 30 KB after it (the paste's own end
# several reads later); and with a y/N question open, where the y after
# the spelled marker is pasted text, which never answers.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 2 -f 'alpha>'

# A marker command: once it is logged, everything before it was handled.
MARK=0
mark() {
	MARK=$((MARK + 1))
	type_text "sim echo mark$MARK"
	keys Enter
	wait_log alpha "sim echo mark$MARK"
}

printf 'say hi\033[201~\rsay injected\rstop\ry' > "$W/inject.txt"
tmux -S "$SOCK" load-buffer -b inject "$W/inject.txt"
tmux -S "$SOCK" paste-buffer -p -b inject -t 0
wait_screen 'alpha> say hi␤say injected␤stop␤y'
wait_screen '4 lines pasted'
keys Escape
wait_screen 'paste cancelled: nothing sent'
mark
[ "$(grep -c . "$W/alpha.log")" = 1 ] || fail "the paste sent commands: $(cat "$W/alpha.log")"

printf 'say hi\033[201~stop\033OMy' > "$W/keypad.txt"
tmux -S "$SOCK" load-buffer -b keypad "$W/keypad.txt"
tmux -S "$SOCK" paste-buffer -p -b keypad -t 0
wait_screen 'alpha> say histopy'
screen | grep -q 'y/N' && fail "the pasted keypad Enter ran the line"
keys C-u
mark
[ "$(grep -c . "$W/alpha.log")" = 2 ] || fail "the paste sent commands: $(cat "$W/alpha.log")"

# The spelled marker, Enter, stop, y, then 30 KB more: the paste's own end
# comes reads later, whichever read the spelled marker ends.
{
	printf 'say hi\033[201~\rstop\ry'
	head -c 30000 /dev/zero | tr '\0' x
} > "$W/long.txt"
tmux -S "$SOCK" load-buffer -b long "$W/long.txt"
tmux -S "$SOCK" paste-buffer -p -b long -t 0
wait_screen 'paste too long'
screen | grep -q 'y/N' && fail "the long paste asked a question"
keys Escape
wait_screen 'paste cancelled: nothing sent'
mark
[ "$(grep -c . "$W/alpha.log")" = 3 ] || fail "the long paste sent commands: $(cat "$W/alpha.log")"

# A y/N question open, then a paste of "x<marker>y": the y is pasted too,
# and a pasted y never answers; a typed n does.
type_text 'stop'
keys Enter
wait_screen 'send "stop" to alpha\? \[y/N\]'
printf 'x\033[201~y' > "$W/answer.txt"
tmux -S "$SOCK" load-buffer -b answer "$W/answer.txt"
tmux -S "$SOCK" paste-buffer -p -b answer -t 0
keys n
wait_screen 'cancelled: stop'
mark
[ "$(log_count alpha stop)" = 0 ] || fail "a pasted y answered the question"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
