#!/bin/sh
# help-select.sh: the help (F1) names the keys that move the selection in
# the server list and the player panel.  Up/Down (and Left/Right in the
# list) did it, but their table entries had no help text, so the help
# listed Up/Down only for the history and the log.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --servers 2 --players 3
PORT2=$(sed -n 2p "$W/alpha.port")
write_config <<CONF
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT2; password = "secret"; }
);
CONF

start_tui 100x60 --config "$CFG"
wait_screen '[┐╗]┌ alpha '
keys F1
wait_screen 'Help: Up/Down scroll'
wait_screen 'Up, Down +server list: select a server \(Left, Right too\)'
wait_screen 'Up, Down +players: select a player'
keys Escape
wait_screen_gone 'Help: Up/Down scroll'

# What the help says is what the keys do.
keys Tab
wait_screen '^╔ Servers 2'
keys Down
wait_screen '[┐╗]┌ beta '
keys Left
wait_screen '[┐╗]┌ alpha '
keys Right
wait_screen '[┐╗]┌ beta '
keys Up
wait_screen '[┐╗]┌ alpha '
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
