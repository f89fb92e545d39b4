#!/bin/sh
# tree-strikes.sh: a server that drops the connection whenever it gets
# `help` is asked for its command tree twice (APP_TREE_STRIKES), then no
# more on later connections: the strike was never counted (the failed
# `help` was reported before the connection's fall, which cleared it).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

# Every command drops the connection; with no refresh and no health poll
# the only command the console sends by itself is `help`.
start_alpha_tui -m '--drop-after 0' -c 'refresh = 0; health_refresh = 0;' -f 'alpha'
wait_for 'test "$(log_count alpha help)" -ge 2' "help sent on the first two connections"
keys F2
wait_screen 'reconnects +[2-9]'
keys Escape
keys F10
[ "$(wait_exit)" = 0 ] || fail "rconsole did not exit 0"
n=$(log_count alpha help)
[ "$n" = 2 ] || fail "help sent $n times: the third connection asked again"
exit 0
