#!/bin/sh
# paste-split.sh: a bracketed paste whose text spells the end marker stays
# text when the terminal's writes split it, the spelled marker ending one
# read.  tmux writes the paste in pieces (run-shell's short sleeps between
# them make separate reads): "ESC[200~say hi ESC[201~", "\r", "say
# injected", "\r", then "stop\ry" and the terminal's own ESC[201~.  Before,
# the marker at the end of the first read ended the paste and the lone
# "\r" reads were typed Enters: say hi and say injected were sent.
# The same with the marker itself split across two reads.  Then a key
# typed after a paste still works: Enter sends the pasted line.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 2 -f 'alpha>'

# Loads buffer NAME from printf FORMAT.
buf() {
	printf "$2" > "$W/$1.txt"
	tmux -S "$SOCK" load-buffer -b "$1" "$W/$1.txt"
}
# Pastes the buffers named, raw (they carry their own markers), each
# written on its own after a short pause.
paste_pieces() {
	cmd=
	for b in "$@"; do
		[ -n "$cmd" ] && cmd="$cmd \\; run-shell 'sleep 0.02' \\;"
		cmd="$cmd paste-buffer -r -b $b -t 0"
	done
	eval "tmux -S \"\$SOCK\" $cmd"
}

buf p1 '\033[200~say hi\033[201~'
buf p2 '\r'
buf p3 'say injected'
buf p4 '\r'
buf p5 'stop\ry\033[201~'
paste_pieces p1 p2 p3 p4 p5
wait_screen 'alpha> say hi␤say injected␤stop␤y'
screen | grep -q 'y/N' && fail "the paste asked a question"
keys Escape
wait_screen 'paste cancelled: nothing sent'

# The spelled marker split across two reads.
buf q1 '\033[200~say hi\033[20'
buf q2 '1~'
buf q3 '\r'
buf q4 'say injected'
buf q5 '\r\033[201~'
paste_pieces q1 q2 q3 q4 q5
wait_screen 'alpha> say hi.*say injected'
keys Escape
wait_screen 'paste cancelled: nothing sent'

# A plain paste, then a typed Enter: sent once the input is quiet.
buf r1 '\033[200~sim echo pasted\033[201~'
paste_pieces r1
keys Enter
wait_log alpha 'sim echo pasted'
[ "$(grep -c . "$W/alpha.log")" = 1 ] || fail "the pastes sent commands: $(cat "$W/alpha.log")"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
