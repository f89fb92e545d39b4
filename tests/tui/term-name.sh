#!/bin/sh
# term-name.sh: a TERM the console cannot use is named with its controls
# made visible (ESC as U+241B, BEL as U+2407): the environment's text never
# reaches the terminal raw.  Before, "cannot use the terminal (TERM=...)"
# wrote it as it was, so a TERM holding ESC ] 0 ; ... BEL retitled the
# terminal the message was written to.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0
alpha_config ''

esc=$(printf '\033')
bel=$(printf '\007')
TUI_ENV="TERM='no${esc}]0;pwned${bel}such'" start_tui --config "$CFG"
st=$(wait_exit)
[ "$st" = 2 ] || fail "exit status $st, not 2"
grep -q 'cannot use the terminal (TERM=no␛]0;pwned␇such)' "$W/stderr" ||
	fail "TERM not shown safe: $(od -c "$W/stderr" | head)"
grep -q "$esc" "$W/stderr" && fail "ESC raw on stderr: $(od -c "$W/stderr" | head)"
grep -q "$bel" "$W/stderr" && fail "BEL raw on stderr: $(od -c "$W/stderr" | head)"
assert_restored
exit 0
