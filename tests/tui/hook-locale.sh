#!/bin/sh
# hook-locale.sh: the on_event hook's RCONSOLE_DETAIL writes a figure with
# a decimal point ("15.5 TPS (tps_crit 18)") under a locale whose decimal
# separator is a comma (de_DE.UTF-8, built here with localedef).  The
# console runs in the user's locale (curses needs it) and printf's %f
# follows it; a script reading the detail must not get "15,5".  localedef
# needs the locale sources of Debian's package locales; without them this
# test FAILS.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

command -v localedef >/dev/null 2>&1 || fail "localedef not found: apt-get install libc-bin"
mkdir -p "$W/locale"
localedef -i de_DE -f UTF-8 "$W/locale/de_DE.UTF-8" > "$W/localedef.err" 2>&1 ||
	fail "cannot build de_DE.UTF-8 (apt-get install locales): $(cat "$W/localedef.err")"
# The locale must really load, or this test would pass on any code.
[ "$(LOCPATH="$W/locale" LC_ALL=de_DE.UTF-8 bash -c 'printf "%.1f" 1' 2>&1)" = "1,0" ] ||
	fail "the de_DE.UTF-8 built in $W/locale does not load (bash's printf)"

cat > "$W/hook" <<HOOK
#!/bin/sh
printf '%s|%s\n' "\$RCONSOLE_EVENT" "\$RCONSOLE_DETAIL" >> "$W/events"
HOOK
chmod 700 "$W/hook"

start_mcsim alpha --port 0 --tps 15.5
write_config <<CONF
health_refresh = 1;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    tps_crit = 18; on_event = "$W/hook"; }
);
CONF
TUI_ENV="LOCPATH=$W/locale LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8" start_tui --config "$CFG"
wait_screen 'alpha'
wait_for 'grep -q "^tps|" "$W/events" 2>/dev/null' "the hook's tps event"
grep -qx 'tps|15\.5 TPS (tps_crit 18)' "$W/events" ||
	fail "RCONSOLE_DETAIL not written with a decimal point: $(cat "$W/events")"
keys F10
wait_exit
exit 0
