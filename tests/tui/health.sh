#!/bin/sh
# health.sh: the server list shows each server's TPS (or vanilla's tick
# time) coloured against tps_warn / tps_crit — checked on the attributes tmux
# holds for each cell (capture-pane -e) — and follows a change of TPS.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --tps 19.9
start_mcsim beta --port 0 --tps 16.5
start_mcsim gamma --port 0 --health vanilla --tps 10
MPORT=$(free_port)
write_config <<CONF
metrics_listen = "127.0.0.1:$MPORT";
refresh = 1;
health_refresh = 1;
tps_warn = 18;
tps_crit = 15;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; },
  { name = "gamma"; host = "127.0.0.1"; port = $PORT_gamma; password = "secret"; }
);
CONF

# Prints the SGR parameters in force where TEXT starts on the row of server
# NAME (the escape sequences between the name and the text, joined by ';').
sgr_before() {
	esc=$(printf '\033')
	screen_sgr | grep -a "$1.*$2" | head -n 1 | sed "s/.*$1//" |
		awk -v t="$2" '{ i = index($0, t); if (i) print substr($0, 1, i - 1) }' |
		grep -Eo "$esc\\[[0-9;]*m" | sed "s/^$esc\\[//; s/m\$//" | tr '\n' ';'
}

start_tui 100x24 --config "$CFG"
wait_screen ' alpha +19\.9 '
wait_screen ' beta +16\.5 '
wait_screen ' gamma +100ms '

# Each colour is waited for (not judged on one capture): once, under make
# distcheck, one capture held no colour at all before alpha's 19.9, and that
# was never seen again in hundreds of captures, idle or under load.
wait_for 'sgr_before alpha 19.9 | grep -Eq "(^|;)32(;|\$)"' \
	"alpha's 19.9 in green"
wait_for 'sgr_before beta 16.5 | grep -Eq "(^|;)33(;|\$)"' "beta's 16.5 in the warning colour"
wait_for 'sgr_before gamma 100ms | grep -Eq "(^|;)31(;|\$)"' "gamma's 100 ms a tick in red"
a=$(sgr_before alpha 19.9)
b=$(sgr_before beta 16.5)
g=$(sgr_before gamma 100ms)
echo "$a" | grep -Eq '(^|;)32(;|$)' || fail "alpha's 19.9 is not green: $a"
echo "$b" | grep -Eq '(^|;)33(;|$)' || fail "beta's 16.5 is not in the warning colour: $b"
echo "$b" | grep -Eq '(^|;)3[12](;|$)' && fail "beta's 16.5 is also red or green: $b"
echo "$g" | grep -Eq '(^|;)31(;|$)' || fail "gamma's 100 ms a tick is not red: $g"

# The polls never show in the log pane, and vanilla got one failing command.
screen | grep -q 'TPS from last' && fail "a health reply reached the screen"
screen | grep -q 'Unknown or incomplete' && fail "the probe's failure reached the screen"
[ "$(log_count gamma tps)" = 1 ] || fail "gamma got $(log_count gamma tps) 'tps' commands"

# metrics_listen: the console serves the same /metrics as --metrics.
metrics() {
	python3 -c 'import sys, urllib.request
try: sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
except Exception: pass' "http://127.0.0.1:$MPORT/metrics"
}
wait_for 'metrics | grep -q "^rconsole_tps{server=\"beta\",tags=\"\",window=\"1m\"} 16.500$"' \
	"beta's TPS in the console's /metrics"
metrics | grep -q '^rconsole_up{server="gamma",tags=""} 1$' || fail "gamma not up in /metrics"

# F2: the details of the selected server; any key closes them.
keys F2
wait_screen 'alpha: any key closes'
wait_screen 'health +19\.9 TPS \(5m 19\.9, 15m 19\.9\)'
wait_screen 'round trip +now [0-9.]+ ms, average [0-9.]+ ms, longest [0-9.]+ ms'
wait_screen 'reconnects +0'
wait_screen 'last error +none'
keys x
wait_screen_gone 'alpha: any key closes'
# :info on a vanilla server: its tick time, not a made-up TPS.
keys C-p
type_text ':info'
keys Enter
wait_screen 'gamma: any key closes'
wait_screen 'health +100\.0 ms/tick'
keys Escape
wait_screen_gone 'any key closes'
keys C-n

# A server that slows down turns red at the next poll.
type_text 'sim tps 12'
keys Enter
wait_screen ' alpha +12\.0 '
a=$(sgr_before alpha 12.0)
echo "$a" | grep -Eq '(^|;)31(;|$)' || fail "alpha's 12.0 is not red: $a"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
assert_restored
