#!/bin/sh
# prompt-name.sh: a server name too long for the command line's prompt is
# cut with the ellipsis every other cut name has ("creative-build-s…> ", as
# the server list's "creative-…"); it ended in "~", which reads as part of
# the name, or as a home directory.  Without UTF-8, "~" is still the mark.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 1
write_config <<CONF
$QUIET_SETTINGS
servers = (
  { name = "creative-build-server"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; }
);
CONF
start_tui --config "$CFG"
wait_screen '│● creative-'
wait_screen '^ creative-build-s…> +RW'
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"

TUI_ENV='LANG=C LC_ALL=C'
start_tui --config "$CFG"
wait_screen '^ creative-build-s~> +RW'
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0 (C locale)"
exit 0
