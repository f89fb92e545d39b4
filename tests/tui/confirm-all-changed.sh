#!/bin/sh
# confirm-all-changed.sh: ":all CMD" goes only where its y/N question said.
# The question names the servers that would take the command when it is
# asked; one that comes back while it is open got the command on 'y' as
# well, unnamed.  Now a 'y' whose servers have changed asks again, naming
# them.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 1
start_mcsim beta --port 0 --players 1
write_config <<CONF
servers = ( { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; },
            { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; } );
CONF

start_tui 140x24 --config "$CFG"
wait_screen '│● alpha '
wait_screen '│● beta '
stop_mcsim beta
wait_screen '│. beta +retry [0-9]+s'
type_text ':all kick Bob'
keys Enter
wait_screen 'send "kick Bob" to 1 server: alpha\? \[y/N\]'
start_mcsim beta --port "$PORT_beta" --players 1
wait_screen '│● beta ' 70
answer_yes 'send "kick Bob" to 1 server: alpha\? \[y/N\]'
wait_screen 'send "kick Bob" to 2 servers: alpha, beta\? \[y/N\]'
keys n
wait_screen 'cancelled: :all kick Bob'
for s in alpha beta; do
	grep -qx 'kick Bob' "$W/$s.log" && fail "kick Bob reached $s"
done

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
