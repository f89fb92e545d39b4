#!/bin/sh
# rsearch-long.sh: Ctrl-R shows the match of a long history entry and puts
# the cursor on it.  The entry was drawn from its start and cut at the
# status, with the cursor after the label: two long commands that begin
# alike (tellraw @a {...}, a ban with a long reason) looked the same, and
# the word searched for was nowhere on the screen.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

long='say Attention everyone, the server restarts for maintenance in five minutes'
start_alpha_tui -p 2 -c 'refresh = 0;' -f 'alpha>' 70x12
for tail in first-notice second-notice; do
	type_text "$long $tail"
	keys Enter
	wait_log alpha "$long $tail"
done

keys C-r
type_text 'first-n'
wait_screen "reverse-i-search\\)'first-n': .*first-n"
# The cursor is on the match: the row holds "first-n" starting at it.
row=$(screen | tail -n 1)
x=$(tmux -S "$SOCK" display-message -p -t 0 '#{cursor_x}')
label="(reverse-i-search)'first-n': "
at=$(printf '%s\n' "$row" | awk -v l="$label" -v s="first-n" \
    '{ i = index(substr($0, length(l) + 1), s); print i ? length(l) + i - 1 : -1 }')
[ "$x" = "$at" ] || fail "cursor at column $x, the match at $at: $row"
# Enter runs the entry found, whole.
keys Enter
wait_for '[ "$(log_count alpha "$long first-notice")" = 2 ]' "the found entry to run again"

# A match near the start shows from the start, as before.
keys C-r
type_text 'say A'
wait_screen "reverse-i-search\\)'say A': say Att"
keys C-g
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
