#!/bin/sh
# dumbterm.sh: a terminal that cannot move the cursor (TERM=dumb: Emacs'
# shell, a CI log) is refused with exit 2 and a reason, the terminal as it
# was.  curses started on it, and the console ran with nothing readable on
# the screen — not even how to quit.  A vt100 (no colours, but cursor
# addressing) still gets the console.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 2
alpha_config ''

TUI_ENV='TERM=dumb' start_tui --config "$CFG"
st=$(wait_exit)
[ "$st" = 2 ] || fail "TERM=dumb: exit status $st, not 2"
grep -q 'TERM=dumb.*cannot move the cursor' "$W/stderr" || fail "no reason: $(cat "$W/stderr")"
grep -q 'use -c CMD' "$W/stderr" || fail "no way out named: $(cat "$W/stderr")"
assert_restored

TUI_ENV='TERM=vt100' start_tui --config "$CFG"
wait_screen 'alpha>'
keys C-q
[ "$(wait_exit)" = 0 ] || fail "TERM=vt100: C-q did not exit 0"
exit 0
