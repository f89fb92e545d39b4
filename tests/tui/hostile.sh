#!/bin/sh
# hostile.sh: replies full of terminal escapes, C1 controls, invalid UTF-8,
# bidi controls, bells and backspaces leave the screen intact: no clear, no
# title change, the boxes and the status bar are still there, and the text
# shows with a visible glyph for each thing that was not text.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim evil --port 0 --players 2 --hostile
write_config <<CONF
refresh = 1;
servers = ( { name = "evil"; host = "127.0.0.1"; port = $PORT_evil; password = "secret"; } );
CONF

start_tui --config "$CFG"
wait_screen '│● evil '
title=$(tmux -S "$SOCK" display-message -p -t 0 '#{pane_title}')
type_text 'sim echo MARKER-TEXT'
keys Enter
wait_log evil 'sim echo MARKER-TEXT'
wait_screen 'MARKER-TEXT.*'
type_text 'seed'
keys Enter
wait_log evil 'seed'
wait_screen 'Seed: '

# Raw bytes: a C1 CSI, an invalid byte, and bidi controls (RLO, PDF, RLM)
# that would reorder the row in a bidi-aware terminal: each becomes one
# replacement glyph, in place, and the letters keep their order.
type_text 'sim bytes 41c29b33316d42ff43e280ae444546e280ac47e2808f48'
keys Enter
wait_log evil 'sim bytes 41c29b33316d42ff43e280ae444546e280ac47e2808f48'
wait_screen 'A�31mB�C�DEF�G�H'
for cp in '\342\200\256' '\342\200\254' '\342\200\217' '\302\233'; do
	screen | grep -q "$(printf "$cp")" && fail "code point $cp reached the screen"
done

# The title escape did not reach the terminal.
now=$(tmux -S "$SOCK" display-message -p -t 0 '#{pane_title}')
[ "$now" = "$title" ] || fail "pane title changed to '$now'"
case "$now" in *pwned*) fail "title set by the server" ;; esac
# The screen was not cleared and nothing was hidden: the frame is whole.
screen | head -n 1 | grep -q '┌ Servers 1' || fail "top row damaged"
screen | grep -q '└──' || fail "bottom border gone"
assert_status_bar
[ "$(screen | wc -l)" = 24 ] || fail "screen rows changed"
# Escapes are shown harmlessly (control pictures or replacement glyphs).
screen | grep -Eq '␛|�' || fail "no visible trace of the escapes"
# The cursor is still on the command line (no stray cursor motion).
y=$(tmux -S "$SOCK" display-message -p -t 0 '#{cursor_y}')
[ "$y" = 23 ] || fail "cursor on row $y, not the command line"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
