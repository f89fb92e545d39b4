#!/bin/sh
# metrics-labels.sh: /metrics stays valid exposition text (promtool check
# metrics) whatever bytes a server's name holds.  -H takes a host as typed,
# so its name can hold a quote, a backslash or bytes that are not UTF-8;
# Prometheus rejects the whole scrape for one label value that is not valid
# UTF-8, so every server would vanish from it for one odd name.
set -u
W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-mlabels-XXXXXX")
RC_PID=
cleanup() {
	[ -n "$RC_PID" ] && kill "$RC_PID" 2>/dev/null && wait "$RC_PID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
FAIL_HOOK='tail_files "$W/err"'
command -v promtool >/dev/null || fail "promtool not found: apt-get install prometheus"
command -v python3 >/dev/null || fail "python3 not found"
export RCON_PASSWORD=secret HOME="$W" XDG_CONFIG_HOME="$W/none" XDG_STATE_HOME="$W/state"
unset RCONSOLE_CONFIG RCON_HOST RCON_PORT RCON_PASSWORD_FILE || true

MPORT=$(free_port)
URL="http://127.0.0.1:$MPORT/metrics"
# a"b\c, then the byte 0xff (not UTF-8), then é: no such host, so it is down.
HOST=$(printf 'a"b\\c\377\303\251.invalid')
"$RCONSOLE" --metrics "127.0.0.1:$MPORT" -H "$HOST" < /dev/null > "$W/out" 2> "$W/err" &
RC_PID=$!
# Writes the body of GET $URL as bytes (http_get decodes it) to $W/scrape.
scrape() {
	python3 -c 'import sys, urllib.request
try: sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=5).read())
except Exception: pass' "$URL" > "$W/scrape"
}
poll_until 'scrape; grep -q "^rconsole_up{" "$W/scrape"' || fail "no rconsole_up in /metrics"
promtool check metrics < "$W/scrape" > "$W/promtool.err" 2>&1 ||
	fail "promtool: $(cat "$W/promtool.err")"
# The quote and backslash escaped, the stray byte shown as U+FFFD.
grep -q "^rconsole_up{server=\"a\\\\\"b\\\\\\\\c$(printf '\357\277\275\303\251').invalid\",tags=\"\"} 0\$" \
	"$W/scrape" || fail "server label not as expected: $(grep '^rconsole_up' "$W/scrape")"
exit 0
