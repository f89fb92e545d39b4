#!/bin/sh
# paste-cut-line.sh: a paste too long for the command line never leaves a
# line cut short to be sent: the line the limit cut is dropped whole with
# what did not fit, and the message says so.  Before, the line kept its
# first part, so "ban Bob_the_alt" at the limit became "ban Bob" (another
# player) and went out with the rest on Enter, behind a y/N question that
# named the cut command.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 1 140x24
# 80 lines of 99 bytes and one of 22, each followed by a newline (3 bytes
# on the command line: U+2424), then "ban Bob_the_alt": the line holds
# 8192 bytes, which ends the paste right after "ban Bob".
{
	i=0
	while [ $i -lt 80 ]; do
		printf 'say %02d%093d\n' $i 0
		i=$((i + 1))
	done
	printf 'say long%014d\n' 0
	printf 'ban Bob_the_alt\n'
} > "$W/cut.txt"
tmux -S "$SOCK" load-buffer -b cut "$W/cut.txt"
tmux -S "$SOCK" paste-buffer -p -b cut -t 0
wait_screen 'paste too long: .*the line it cut was dropped'
keys Enter
wait_log alpha 'say long00000000000000'
# No question is open: a typed line (no y or n in it, which would answer
# one) is taken and sent.
type_text 'seed'
keys Enter
wait_log alpha 'seed'
grep -q '^ban' "$W/alpha.log" && fail "a cut line was sent: $(grep '^ban' "$W/alpha.log")"
[ "$(grep -c '^say ' "$W/alpha.log")" = 81 ] ||
	fail "the whole lines were not all sent: $(grep -c '^say ' "$W/alpha.log")"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
