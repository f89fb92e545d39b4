#!/bin/sh
# waiting.sh: the status bar says how many of the user's commands a server
# has not answered.  Against a server that reads every command and answers
# none (mcsim --hang-after 0), "say one" goes out and waits, "say two" is
# queued behind it (the log shows a command only once it is written), and
# the status bar says "1 waiting", then "2 waiting" — before, it showed
# the last round trip as if all were well and the queued command was
# nowhere on the screen.  :disconnect settles both (outcome unknown, not
# sent) and the count goes; nothing is sent again after :connect.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim hung --port 0 --players 2 --hang-after 0
write_config <<CONF
refresh = 0;
health_refresh = 0;
command_tree = false;   # no background help: the user's commands are the only ones
servers = (
  { name = "hung"; host = "127.0.0.1"; port = $PORT_hung; password = "secret"; timeout = 60; }
);
CONF

start_tui --config "$CFG"
wait_screen 'hung>.* RW '

type_text 'say one'
keys Enter
wait_log hung 'say one'
wait_screen 'hung>.* 1 waiting +RW '

type_text 'say two'
keys Enter
wait_screen 'hung>.* 2 waiting +RW '
screen | grep -q '> say two' && fail "the queued command was shown as sent"

type_text ':disconnect'
keys Enter
wait_screen 'outcome unknown: disconnected'
wait_screen 'not sent: the connection'
wait_screen_gone 'waiting'
type_text ':connect'
keys Enter
wait_screen '^ hung> +RW '    # connected again: no state, no count before RW
[ "$(log_count hung 'say one')" = 1 ] || fail "say one sent again: $(cat "$W/hung.log")"
[ "$(log_count hung 'say two')" = 0 ] || fail "say two reached the server: $(cat "$W/hung.log")"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
