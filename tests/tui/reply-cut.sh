#!/bin/sh
# reply-cut.sh: a reply cut by the connection's end is shown as far as it
# came, and said to be cut.  mcsim --reset-mid resets the connection after
# the first packet of a long reply: `sim pattern 9000` gets 4,096 of its
# 9,000 bytes (10-byte records "000000000" ... the last cut to "000004").
# Before, those bytes were dropped and the log pane said only "outcome
# unknown: connection lost"; the command is still never sent again.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -m --reset-mid -f 'alpha>' 220x40
type_text 'sim pattern 9000'
keys Enter
wait_screen "its reply above is cut after 4096 bytes"

# The log pane's text, one row a line (the second box on each row).
log_rows() { screen | sed -n 's/^│[^│]*│*│\([^│]*\)│.*/\1/p' | sed 's/ *$//'; }
log_rows > "$W/rows.txt"
grep -qx '000004080' "$W/rows.txt" || fail "the reply's last whole record is not shown: $(cat "$W/rows.txt")"
before=$(grep -B1 'its reply above is cut' "$W/rows.txt" | head -n 1)
[ "$before" = '000004' ] || fail "the cut line follows '$before', not the reply's last bytes"
grep -q "outcome unknown: connection lost after 'sim pattern 9000' was sent; its reply above is cut after 4096 bytes" \
	"$W/rows.txt" || fail "the line does not say what was lost: $(grep cut "$W/rows.txt")"

# Reconnected, the next command is answered; nothing is sent again.
wait_for 'log_rows | sed -n "/its reply above is cut/,\$p" | grep -qE " connected( |$)"' "the reconnect"
type_text 'sim echo after'
keys Enter
wait_for 'log_rows | grep -qx after' "the reply to 'sim echo after'"
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
[ "$(log_count alpha 'sim pattern 9000')" = 1 ] || fail "sent $(log_count alpha 'sim pattern 9000') times"
exit 0
