#!/bin/sh
# readonly-narrow.sh: --read-only can only narrow.  A profile that is not
# read-only itself but lists "op *" in readonly_allow, opened with
# --read-only: the list in force is the intersection with the default, so
# op is refused on the command line and by :all and never reaches mcsim,
# while list (in both lists) still goes through.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob)
start_mcsim wide --port 0 --players "$PL"
write_config <<CONF
refresh = 0;
servers = (
  { name = "wide"; host = "127.0.0.1"; port = $PORT_wide; password = "secret";
    readonly_allow = [ "op *", "list", "time query *" ]; }
);
CONF

start_tui 160x30 --read-only --config "$CFG"
wait_screen '│● wide .* RO'
wait_screen "readonly_allow entry 'op \*' is outside the default allowlist"
type_text 'op Mallory'
keys Enter
wait_screen '> op Mallory'
wait_screen 'read-only'
type_text ':all op Eve'
keys Enter
wait_screen ':all: no server accepted'
type_text 'seed'
keys Enter
wait_screen '> seed'
type_text 'time query day'
keys Enter
wait_log wide 'time query day'
type_text 'list'
keys Enter
wait_log wide 'list'
grep -E '^(op|seed)' "$W/wide.log" && fail "op or seed reached mcsim: $(cat "$W/wide.log")"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# Without the flag the same profile is read-write: op goes through.
start_tui --config "$CFG"
wait_screen '│● wide '
type_text 'op Trent'
keys Enter
# op asks first (issue 8's confirm list); y sends it.
answer_yes 'send "op Trent" to wide\? \[y/N\]'
wait_log wide 'op Trent'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
[ "$(grep -c '^op' "$W/wide.log")" = 1 ] || fail "op lines: $(grep '^op' "$W/wide.log")"
exit 0
