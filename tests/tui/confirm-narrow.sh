#!/bin/sh
# confirm-narrow.sh: on a narrow terminal the y/N question of :all keeps
# what it asks: the command is cut (with an ellipsis) before the servers and
# the [y/N], and the servers' names give way to their count when even a cut
# command leaves no room for them.  Before, the question was cut at its end:
# at 40 columns `:all kick Peggy griefing` read `send "kick Peggy
# griefing" to 2…? [y/N]`, naming neither the count nor the servers.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsims '--players 1' alpha beta
servers_config "$QUIET_SETTINGS" alpha beta

start_tui 40x12 --config "$CFG"
wait_screen '●alpha ●beta'
type_text ":all kick Peggy griefing"
keys Enter
wait_screen '^send "kick Peggy …" to 2 servers\? \[y/N\]'
# Wide enough for the names once the command is cut (to 13 columns).
resize 55 12
wait_screen '^send "kick Peggy gr…" to 2 servers: alpha, beta\? \[y/N\]'
# Wide enough for all of it.
resize 60 12
wait_screen '^send "kick Peggy griefing" to 2 servers: alpha, beta\? \[y/N\]'
keys n
wait_screen 'cancelled'
grep -q 'kick' "$W/alpha.log" "$W/beta.log" && fail "a declined kick was sent"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
