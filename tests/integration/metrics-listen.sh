#!/bin/sh
# metrics-listen.sh: when the /metrics endpoint cannot listen, rconsole
# --metrics says why, in the system's words, and exits non-zero:
#  - an address of no interface here (192.0.2.1, TEST-NET-1): "Cannot
#    assign requested address", not a guess that the port is in use;
#  - a port another process listens on: "Address already in use".
# The server named is a closed port: nothing is contacted for the check.
set -u
W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-mlisten-XXXXXX")
HOLDER=
cleanup() {
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null && wait "$HOLDER" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
command -v python3 >/dev/null || fail "python3 not found"
export RCON_PASSWORD=secret HOME="$W" XDG_CONFIG_HOME="$W/none" XDG_STATE_HOME="$W/state"
unset RCONSOLE_CONFIG RCON_HOST RCON_PORT RCON_PASSWORD_FILE || true

# Runs rconsole --metrics $1 (it must stop by itself); sets ST and ERR.
metrics_at() {
	"$RCONSOLE" --metrics "$1" -H 127.0.0.1 -P 1 < /dev/null > "$W/out" 2> "$W/err" &
	pid=$!
	poll_until "! kill -0 $pid 2>/dev/null" 30 || { kill "$pid"; fail "--metrics $1 kept running"; }
	wait "$pid"
	ST=$?
	ERR=$(cat "$W/err")
}

metrics_at 192.0.2.1:9225
[ "$ST" != 0 ] || fail "--metrics 192.0.2.1:9225 exited 0"
case $ERR in
*"metrics 192.0.2.1:9225: cannot listen: Cannot assign requested address"*) ;;
*) fail "192.0.2.1:9225: expected the cause, got: $ERR" ;;
esac

python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(120)' > "$W/holder.port" &
HOLDER=$!
poll_until "grep -q '^[0-9]' '$W/holder.port'" 10 || fail "the port holder did not start"
P=$(cat "$W/holder.port")
metrics_at "127.0.0.1:$P"
[ "$ST" != 0 ] || fail "--metrics on a port in use exited 0"
case $ERR in
*"metrics 127.0.0.1:$P: cannot listen: Address already in use"*) ;;
*) fail "port in use: expected the cause, got: $ERR" ;;
esac
exit 0
