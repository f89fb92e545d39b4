#!/bin/sh
# metrics.sh: rconsole --metrics against two real mcsim servers — GET
# /metrics passes `promtool check metrics`, --metrics-file holds the same
# families, and a real Prometheus (started here on loopback with its own
# storage and a 1 s scrape interval) reports rconsole_up == 1 for both
# servers, then 0 for the one that is killed, through its HTTP query API.
# promtool and prometheus are required (Debian package prometheus): without
# them this test FAILS, it never skips.
set -u
W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-metrics-XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	for p in $LOCK_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
# fail, poll_until, tail_files, free_port, http_get.
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
FAIL_HOOK='tail_files "$W"/*.err'
# Beta is killed while rconsole keeps reconnecting to its port: the port's
# lock keeps other tests' servers off it (claim_ports).
. "${TOP_SRCDIR:-.}/tests/support/ports.sh"
command -v promtool >/dev/null || fail "promtool not found: apt-get install prometheus"
PROM=$(command -v prometheus) || fail "prometheus not found: apt-get install prometheus"
command -v python3 >/dev/null || fail "python3 not found"

for s in a b; do
	tries=0
	while :; do
		"$MCSIM" --port 0 --tps 16.5 > "$W/$s.port" 2> "$W/$s.err" &
		pid=$!
		poll_until "grep -q '^[0-9]' '$W/$s.port'" 10 || fail "mcsim $s did not start"
		claim_ports "$W/$s.port" && break
		kill "$pid"; wait "$pid" 2>/dev/null   # another test's port: again
		tries=$((tries + 1))
		[ $tries -lt 20 ] || fail "no port free of other tests' locks"
	done
	eval "SIM_$s=$pid"
	PIDS="$PIDS $pid"
done
PA=$(head -n 1 "$W/a.port")
PB=$(head -n 1 "$W/b.port")
cat > "$W/rconsole.conf" <<CONF
refresh = 1;
health_refresh = 1;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PA; password = "secret"; tags = [ "prod", "eu" ]; },
  { name = "beta"; host = "127.0.0.1"; port = $PB; password = "secret"; }
);
CONF
chmod 600 "$W/rconsole.conf"

MPORT=$(free_port)
"$RCONSOLE" --config "$W/rconsole.conf" --metrics "127.0.0.1:$MPORT" \
	--metrics-file "$W/rconsole.prom" < /dev/null > "$W/rconsole.out" 2> "$W/rconsole.err" &
RC_PID=$!
PIDS="$PIDS $RC_PID"
URL="http://127.0.0.1:$MPORT/metrics"
poll_until "http_get '$URL' | grep -q 'rconsole_tps{server=\"beta\",tags=\"\",window=\"1m\"} 16.500'" ||
	fail "no TPS for beta in /metrics: $(http_get "$URL")"
http_get "$URL" > "$W/scrape"
grep -q '^rconsole_up{server="alpha",tags="prod,eu"} 1$' "$W/scrape" || fail "alpha not up: $(cat "$W/scrape")"
grep -q '^rconsole_build_info{version="' "$W/scrape" || fail "no build info"
promtool check metrics < "$W/scrape" > "$W/promtool.err" 2>&1 || fail "promtool: $(cat "$W/promtool.err")"
[ -s "$W/rconsole.prom" ] || fail "--metrics-file not written"
promtool check metrics < "$W/rconsole.prom" > "$W/promtool2.err" 2>&1 ||
	fail "promtool on the file: $(cat "$W/promtool2.err")"
ls "$W" | grep -q '\.tmp\.' && fail "a temporary file was left behind"
[ -z "$(http_get "http://127.0.0.1:$MPORT/nothing")" ] || fail "/nothing answered like /metrics"

# A real Prometheus scraping every second.
PPORT=$(free_port)
cat > "$W/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: rconsole
    static_configs:
      - targets: [ "127.0.0.1:$MPORT" ]
YML
"$PROM" --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/tsdb" \
	--web.listen-address="127.0.0.1:$PPORT" > "$W/prometheus.out" 2> "$W/prometheus.err" &
PIDS="$PIDS $!"
Q="http://127.0.0.1:$PPORT/api/v1/query?query="
# Prints NAME=VALUE for every server rconsole_up has now, sorted.
up_values() {
	http_get "${Q}rconsole_up" | python3 -c 'import json, sys
try: d = json.load(sys.stdin)
except Exception: sys.exit(0)
for r in sorted(d.get("data", {}).get("result", []), key=lambda r: r["metric"].get("server", "")):
    print("%s=%s" % (r["metric"].get("server"), r["value"][1]))' | tr '\n' ' '
}
poll_until '[ "$(up_values)" = "alpha=1 beta=1 " ]' 60 || fail "Prometheus did not see both up: '$(up_values)'"
kill "$SIM_b"
wait "$SIM_b" 2>/dev/null
poll_until '[ "$(up_values)" = "alpha=1 beta=0 " ]' 60 || fail "Prometheus did not see beta down: '$(up_values)'"

# SIGTERM stops it cleanly.
kill -TERM "$RC_PID"
wait "$RC_PID"
st=$?
[ "$st" = 0 ] || fail "rconsole --metrics exited $st on SIGTERM"
exit 0
