#!/bin/sh
# bench-metrics.sh: the CPU rconsole --metrics uses watching 1,000 servers
# (one mcsim --servers 1000, default refresh and health_refresh) while
# something scrapes /metrics once a second.  Prints figures, never fails on
# speed.  N and SECONDS may be set in the environment.
set -eu
N=${N:-1000}
SECONDS_RUN=${SECONDS:-20}
W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-bench-metrics-XXXXXX")
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$W"' EXIT
# The file exists before mcsim starts: its redirection is made in the
# background job, which may come after the first look at it.
: > "$W/ports"
"$MCSIM" --port 0 --servers "$N" > "$W/ports" 2> "$W/mcsim.err" &
PIDS="$PIDS $!"
i=0
while [ "$(wc -l < "$W/ports")" -lt "$N" ]; do
	i=$((i + 1)); [ $i -gt 300 ] && { echo "mcsim did not start"; exit 1; }; sleep 0.1
done
{
	echo "servers = ("
	k=0
	while read -r port; do
		k=$((k + 1))
		[ $k -gt 1 ] && echo ","
		printf '{ name = "s%d"; host = "127.0.0.1"; port = %d; password = "secret"; }' "$k" "$port"
	done < "$W/ports"
	echo ");"
} > "$W/rconsole.conf"
chmod 600 "$W/rconsole.conf"
MPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$RCONSOLE" --config "$W/rconsole.conf" --metrics "127.0.0.1:$MPORT" < /dev/null 2> "$W/err" &
RP=$!
PIDS="$PIDS $RP"
# Returns the process's user+system CPU in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$RP/stat"; }
scrape() { python3 -c 'import sys, urllib.request; print(len(urllib.request.urlopen(sys.argv[1], timeout=10).read()))' "http://127.0.0.1:$MPORT/metrics"; }
i=0
until [ "$(python3 -c 'import sys, urllib.request
t = urllib.request.urlopen(sys.argv[1], timeout=10).read().decode()
print(sum(1 for l in t.splitlines() if l.startswith("rconsole_up{") and l.endswith(" 1")))' "http://127.0.0.1:$MPORT/metrics" 2>/dev/null || echo 0)" -ge "$N" ]; do
	i=$((i + 1)); [ $i -gt 600 ] && { echo "not all $N servers came up"; exit 1; }; sleep 0.2
done
hz=$(getconf CLK_TCK)
c0=$(cpu); t0=$(date +%s.%N); bytes=0
for s in $(seq "$SECONDS_RUN"); do bytes=$(scrape); sleep 1; done
c1=$(cpu); t1=$(date +%s.%N)
python3 -c "import sys
c = ($c1 - $c0) / $hz; t = $t1 - $t0
print('rconsole --metrics, %d servers, 1 scrape/s: %.2f s CPU in %.1f s = %.1f%% of one core; /metrics is %d bytes' % ($N, c, t, 100 * c / t, $bytes))"
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$RP/status")
echo "rconsole --metrics resident memory: $rss kB"
