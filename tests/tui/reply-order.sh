#!/bin/sh
# reply-order.sh: a reply is never read as another command's.  Three pasted
# lines, Enter: "sim echo first" goes out, "say <1443 y>" is refused at
# once (too long), "sim echo third" waits its turn.  The refusal is written
# at once, so the first command's reply comes after it — where it read as
# the refused command's reply.  Now that reply is headed "reply to 'sim
# echo first':"; the third command's reply follows its own "> " line with
# no header.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 2 -f 'alpha>' 160x60
{
	printf 'sim echo first\n'
	printf 'say %s\n' "$(head -c 1443 /dev/zero | tr '\0' y)"
	printf 'sim echo third'
} > "$W/three.txt"
tmux -S "$SOCK" load-buffer -b three "$W/three.txt"
tmux -S "$SOCK" paste-buffer -p -b three -t 0
wait_screen '3 lines pasted'
keys Enter
wait_log alpha 'sim echo third'
wait_screen '│third +│'

# The log pane's text, one row a line (the second box on each row).
log_rows() { screen | sed -n 's/^│[^│]*│*│\([^│]*\)│.*/\1/p' | sed 's/ *$//'; }
log_rows > "$W/rows.txt"
grep -q 'refused: command too long' "$W/rows.txt" || fail "no refusal: $(cat "$W/rows.txt")"
# Whatever comes right before the reply "first": the header naming it.
before=$(grep -B1 -x 'first' "$W/rows.txt" | head -n 1)
case "$before" in
*"reply to 'sim echo first':") ;;
*) fail "the reply to 'sim echo first' follows '$before'" ;;
esac
before=$(grep -B1 -x 'third' "$W/rows.txt" | head -n 1)
case "$before" in
*'> sim echo third') ;;
*) fail "the reply to 'sim echo third' follows '$before'" ;;
esac
[ "$(grep -c 'reply to' "$W/rows.txt")" = 1 ] || fail "a header where none was needed"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
