#!/bin/sh
# reply-stall.sh: a reply that stops coming is shown as far as it came when
# the command times out.  mcsim --stall-mid writes the first packet of a
# long reply and then nothing more: `sim pattern 9000` gets 4,096 of its
# 9,000 bytes, then the 2 s command timeout ends it.  Before, those bytes
# were dropped and the line said "no reply to 'sim pattern 9000'", though
# part of one had come; the command is never sent again.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -m --stall-mid -e 'timeout = 2; ' -f 'alpha>' 220x40
type_text 'sim pattern 9000'
keys Enter
wait_screen "stopped after 4096 bytes"

log_rows() { screen | sed -n 's/^│[^│]*│*│\([^│]*\)│.*/\1/p' | sed 's/ *$//'; }
log_rows > "$W/rows.txt"
grep -qx '000004080' "$W/rows.txt" || fail "the reply's last whole record is not shown: $(cat "$W/rows.txt")"
before=$(grep -B1 'stopped after 4096 bytes' "$W/rows.txt" | head -n 1)
[ "$before" = '000004' ] || fail "the timeout line follows '$before', not the reply's last bytes"
grep -q "outcome unknown: the reply to 'sim pattern 9000' stopped after 4096 bytes (above): nothing more came within 2 s (reconnecting)" \
	"$W/rows.txt" || fail "the line does not say what happened: $(grep stopped "$W/rows.txt")"
grep -q "no reply to 'sim pattern 9000'" "$W/rows.txt" && fail "said no reply, though part of one came"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
[ "$(log_count alpha 'sim pattern 9000')" = 1 ] || fail "sent $(log_count alpha 'sim pattern 9000') times"
exit 0
