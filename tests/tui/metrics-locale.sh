#!/bin/sh
# metrics-locale.sh: the console's metrics_listen endpoint writes its
# numbers with a decimal point under a locale whose decimal separator is a
# comma (de_DE.UTF-8, built here with localedef), and the scrape passes
# `promtool check metrics`.  The console runs in the user's locale (curses
# needs it); printf's %f follows it, and one "16,500" fails the whole scrape
# in Prometheus.  localedef needs the locale sources of Debian's package
# locales; without them, or without promtool (prometheus), this test FAILS.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

command -v promtool >/dev/null 2>&1 || fail "promtool not found: apt-get install prometheus"
command -v localedef >/dev/null 2>&1 || fail "localedef not found: apt-get install libc-bin"
mkdir -p "$W/locale"
localedef -i de_DE -f UTF-8 "$W/locale/de_DE.UTF-8" > "$W/localedef.err" 2>&1 ||
	fail "cannot build de_DE.UTF-8 (apt-get install locales): $(cat "$W/localedef.err")"
# The locale must really load, or this test would pass on any code.
[ "$(LOCPATH="$W/locale" LC_ALL=de_DE.UTF-8 bash -c 'printf "%.1f" 1' 2>&1)" = "1,0" ] ||
	fail "the de_DE.UTF-8 built in $W/locale does not load (bash's printf)"

start_mcsim alpha --port 0 --tps 16.5
MPORT=$(free_port)
alpha_config "metrics_listen = \"127.0.0.1:$MPORT\";
refresh = 1;
health_refresh = 1;"
TUI_ENV="LOCPATH=$W/locale LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8" start_tui --config "$CFG"
wait_screen 'alpha'

URL="http://127.0.0.1:$MPORT/metrics"
wait_for 'http_get "$URL" | grep -q "^rconsole_rtt_seconds{server=\"alpha\",tags=\"\"} "' \
	"alpha's round trip in the console's /metrics"
wait_for 'http_get "$URL" | grep -q "^rconsole_tps{server=\"alpha\",tags=\"\",window=\"1m\"} 16[.,]500$"' \
	"alpha's TPS in the console's /metrics"
http_get "$URL" > "$W/scrape"
grep -q '^rconsole_tps{server="alpha",tags="",window="1m"} 16\.500$' "$W/scrape" ||
	fail "TPS not written with a decimal point: $(grep '^rconsole_tps' "$W/scrape")"
grep -Eq '^rconsole_rtt_seconds\{server="alpha",tags=""\} [0-9]+\.[0-9]{6}$' "$W/scrape" ||
	fail "round trip not written with a decimal point: $(grep '^rconsole_rtt' "$W/scrape")"
promtool check metrics < "$W/scrape" > "$W/promtool.err" 2>&1 ||
	fail "promtool: $(cat "$W/promtool.err")"
keys F10
wait_exit
exit 0
