#!/bin/sh
# message-wrap.sh: a message wider than the bottom row goes on to the row
# above it, cut after a word, and one too long for both ends in an
# ellipsis.  At 50 columns "unknown console command ':frobnicate' (F1 lists
# them)" lost "them)" and a cancelled long line was cut mid-word with
# nothing saying so; what a message says to do often comes last.  The next
# key takes both rows away and the pane under the first is whole again.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -f '^┌ alpha ' 50x12
type_text ':frobnicate'
keys Enter
wait_screen "^unknown console command ':frobnicate' \\(F1 lists\$"
wait_screen '^them\) *$'
keys C-u
wait_screen_gone '^them\)'
wait_screen '^└─+┘$'

long=$(printf 'word%.0s ' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)
type_text ":all say $long"
keys Enter
wait_screen '^send "say word'
keys Escape
wait_screen '^cancelled: :all say word word'
wait_screen '^word word .*…$'
keys C-u
wait_screen_gone '^cancelled:'
wait_screen '^└─+┘$'
[ "$(log_count alpha "say $long")" = 0 ] || fail "the cancelled say was sent"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
