#!/bin/sh
# zwj.sh: an emoji ZWJ sequence leaves no stale cells.  tmux draws
# man+ZWJ+woman+ZWJ+girl as one 2-column glyph while wcwidth() counts 6, so
# a console that passed the joiners through had curses and the terminal
# disagree about every column after it: text landed 4 columns left of where
# curses believed it was.  The joiners are dropped (the family shows as its
# three visible parts), so what follows the family is where curses put it —
# in a reply row (same column as in an ASCII row of the same width) and on
# the command line (where the cursor says the text ends) — and erasing text
# after it leaves nothing behind.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim zwj --port 0 --players 0
write_config <<CONF
refresh = 0;
servers = ( { name = "zwj"; host = "127.0.0.1"; port = $PORT_zwj; password = "secret"; } );
CONF

# Prints the column where tmux holds the last match of TEXT on the screen.
column_of() {
	tmux -S "$SOCK" copy-mode -t 0
	tmux -S "$SOCK" send-keys -t 0 -X search-backward "$1"
	tmux -S "$SOCK" display-message -p -t 0 '#{copy_cursor_x}'
	tmux -S "$SOCK" send-keys -t 0 -X cancel
}

start_tui 100x24 --config "$CFG"
wait_screen '│● zwj '
fam=$(printf '\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247')
parts=$(printf '\360\237\221\250\360\237\221\251\360\237\221\247')
zwj=$(printf '\342\200\215')

# A reply with the family, and a ruler reply of the same width in ASCII.
type_text "sim echo A${fam}B-MARK-FAM"
keys Enter
wait_screen '^│.*│A.*B-MARK-FAM'
type_text 'sim echo A123456B-MARK-RUL'
keys Enter
wait_screen '^│.*│A123456B-MARK-RUL'
screen | grep -q "$zwj" && fail "a zero width joiner reached the terminal"
screen | grep -q "A${parts}B-MARK-FAM" || fail "the family is not shown as its parts"
fc=$(column_of MARK-FAM)
rc=$(column_of MARK-RUL)
[ "$fc" = "$rc" ] || fail "text after the family is at column $fc, curses meant $rc"

# The command line: text typed after the family ends where the cursor is.
type_text "q${fam}xyz"
wait_screen "zwj> q.*xyz"
xc=$(column_of xyz)
cx=$(tmux -S "$SOCK" display-message -p -t 0 '#{cursor_x}')
[ "$((xc + 3))" = "$cx" ] || fail "'xyz' drawn at column $xc but the cursor is at $cx"
keys BSpace BSpace BSpace
wait_screen_gone "zwj> q.*xyz"
screen | tail -n 1 | grep -q "zwj> q${parts} " || fail "command line after erasing: $(screen | tail -n 1)"
assert_status_bar

keys C-u F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
