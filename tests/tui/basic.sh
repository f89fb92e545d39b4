#!/bin/sh
# basic.sh: the console against two mcsim servers and one dead port —
# every profile listed with its state, the player panel following joins and
# leaves, a command reaching the server exactly once with its reply shown,
# Tab completing a player name, and F10 quitting with status 0 and the
# terminal restored.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob Carol)
start_mcsim alpha --port 0 --players "$PL"
start_mcsim beta --port 0 --players 2
# A port nobody listens on: bind mcsim, note the port, stop it.
start_mcsim gone --port 0
stop_mcsim gone

write_config <<CONF
refresh = 1;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; },
  { name = "gone"; host = "127.0.0.1"; port = $PORT_gone; password = "secret"; }
);
CONF

start_tui --config "$CFG"

# Every profile with its state: two ready, one waiting to reconnect.
wait_screen '│● alpha +3 '
wait_screen '│● beta +2 '
wait_screen '│. gone +retry [0-9]+s'
assert_status_bar
# The status bar: read-write, the last round trip, the key hints.
wait_for 'screen | tail -n 1 | grep -Eq " RW  [0-9]+ ms  F1 help  F10 quit$"' "the status bar"

# The player panel lists mcsim's players.
wait_screen 'Players 3/20'
for p in Alice Bob Carol; do
	wait_screen "│ $p "
done

# A join and a leave show up within two refresh periods (2 s; allow slack).
RCON_PASSWORD=secret "$RCONSOLE" -H 127.0.0.1 -P "$PORT_alpha" -c 'sim join Dave' >/dev/null ||
	fail "side channel join"
wait_screen '│ Dave ' 4
wait_screen '\+ Dave joined' 4
RCON_PASSWORD=secret "$RCONSOLE" -H 127.0.0.1 -P "$PORT_alpha" -c 'sim leave Bob' >/dev/null ||
	fail "side channel leave"
wait_screen_gone '│ Bob ' 4
wait_screen '- Bob left' 4

# Refreshes ran (mcsim saw list) but are never shown as typed commands;
# the list keeps a sparkline of the counts.
wait_for 'grep -q "^list$" "$W/alpha.log"' "a refresh"
screen | grep -q '> list' && fail "a refresh was echoed in the log"
wait_screen '│● alpha +[0-9]+ +[▁▂▃▄▅▆▇█]+ *│'

# A typed command reaches the server exactly once, and its reply is shown.
type_text 'say hello'
wait_screen 'alpha> say hello'
keys Enter
wait_log alpha 'say hello'
wait_screen '[0-9:]{8} > say hello'
wait_screen '[0-9:]{8} \(no output\)'
type_text 'seed'
keys Enter
wait_screen 'Seed: '
[ "$(log_count alpha 'say hello')" = 1 ] || fail "say hello reached mcsim $(log_count alpha 'say hello') times"

# M-a jumps to the server with unseen lines (beta has its "connected"),
# which clears its marker; C-p goes back.
wait_screen '│● beta .*•│'
keys M-a
wait_screen '┐┌ beta '
wait_screen_gone '│● beta .*•│'
keys C-p
wait_screen '┐┌ alpha '

# Tab completes an online player name.
type_text 'msg Ca'
keys Tab
wait_screen 'alpha> msg Carol '
keys C-u

# F10 quits with status 0 and the terminal restored.
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st after F10"
assert_restored
exit 0
