#!/bin/sh
# complete-prefix.sh: Tab cycles on from a name that is itself a candidate.
# With Ali, Alice and alice2 online, "tell al" + Tab gives "tell Ali" (what
# all three share); the next Tab put "Ali" there again — the first
# candidate, already typed — so it looked as if Tab did nothing, and only
# the third reached Alice.  Now each Tab moves to the next name.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Ali Alice alice2 Bob)
start_alpha_tui -p "$PL" -c 'refresh = 1; health_refresh = 0; command_tree = false;' -f '│ alice2 '
type_text 'tell al'
keys Tab
wait_screen 'alpha> tell Ali +RW'
wait_screen '^Ali  Alice  alice2'
keys Tab
wait_screen 'alpha> tell Alice +RW'
keys Tab
wait_screen 'alpha> tell alice2 +RW'
keys Tab
wait_screen 'alpha> tell Ali +RW'
type_text ' hi'
keys Enter
wait_log alpha 'tell Ali hi'
[ "$(grep -c '^tell' "$W/alpha.log")" = 1 ] || fail "expected one tell: $(cat "$W/alpha.log")"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
