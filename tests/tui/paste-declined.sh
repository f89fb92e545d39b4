#!/bin/sh
# paste-declined.sh: declining the y/N question of a pasted batch writes
# one line in the server's log pane saying what was not sent (how many
# lines, and the first).  Before, only the bottom row said so, and the next
# message replaced it: the dropped lines left no trace.  The same for the
# lines after a pasted line that opens a prompt or the help.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 1 140x24
printf 'say one\nkick Bob\nsay two\nsay three\n' > "$W/four.txt"
tmux -S "$SOCK" load-buffer -b four "$W/four.txt"
tmux -S "$SOCK" paste-buffer -p -b four -t 0
wait_screen '4 lines pasted'
keys Enter
wait_screen 'send "kick Bob" to alpha\? \[y/N\]'
keys n
wait_screen 'cancelled: kick Bob \(and 2 more lines, not sent\)'
wait_screen "│[0-9:]+ declined: 3 lines not sent, the first 'kick Bob' +│"
# Still there once another message took the bottom row.
type_text ':nosuch'
keys Enter
wait_screen 'unknown console command'
screen | grep -q "declined: 3 lines not sent, the first 'kick Bob'" ||
	fail "the log pane lost the declined line"
wait_log alpha 'say one'
for c in 'kick Bob' 'say two' 'say three'; do
	grep -qx "$c" "$W/alpha.log" && fail "'$c' was sent"
done
# A single declined line asks nothing more of the log.
type_text 'kick Bob'
keys Enter
wait_screen 'send "kick Bob" to alpha\? \[y/N\]'
keys n
wait_screen 'cancelled: kick Bob$'
[ "$(screen | grep -c 'declined:')" = 1 ] || fail "a single declined line was logged"

# A pasted line that opens the help drops the lines after it: the log
# says so too (before, only the bottom row did).
printf ':help\nsay four\nsay five\n' > "$W/help.txt"
tmux -S "$SOCK" load-buffer -b help "$W/help.txt"
tmux -S "$SOCK" paste-buffer -p -b help -t 0
wait_screen '3 lines pasted'
keys Enter
keys Escape
wait_screen "│[0-9:]+ not sent: 2 lines after ':help', the first 'say four' +│"
grep -qx 'say four' "$W/alpha.log" && fail "'say four' was sent"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
