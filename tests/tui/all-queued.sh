#!/bin/sh
# all-queued.sh: after :all, the bottom row calls sent only what went on the
# wire.  A server still busy with an earlier command holds the new one
# queued, and a drop before its turn leaves it unsent ("[beta] not sent:
# the connection closed before ..."), while the row said "sent to 2 of 2
# servers".  beta answers nothing (--hang-after 0), so its first command
# stays in flight and the second waits behind it.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0
start_mcsim beta --port 0 --hang-after 0
servers_config "$QUIET_SETTINGS" alpha 'beta:timeout = 120; '
start_tui 120x24 --config "$CFG"
wait_servers_up alpha beta

type_text ':all say one'
keys Enter
answer_yes 'send "say one" to 2 servers'
wait_screen ':all: sent to 2 of 2 servers'
wait_screen '\[alpha\] \(no output\)'
wait_log beta 'say one'

type_text ':all say two'
keys Enter
answer_yes 'send "say two" to 2 servers'
wait_screen ':all: sent to 1, queued for 1 of 2 servers'
wait_log alpha 'say two'

# beta goes down before its turn: the row said nothing untrue.
stop_mcsim beta
wait_screen "\\[beta\\] not sent: the connection closed before 'say two'"
wait_screen ':all: sent to 1, queued for 1 of 2 servers'

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
