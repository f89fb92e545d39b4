#!/bin/sh
# reconnect.sh: a server that dies mid-session shows its reconnect
# countdown and comes back by itself when it is up again on the same port;
# commands work again afterwards.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob)
start_alpha_tui -p "$PL" -c 'refresh = 1;'
wait_screen '│ Alice '

stop_mcsim alpha
# The list shows the countdown, the status bar says so, the log has a line.
wait_screen '│. alpha +retry [0-9]+s'
wait_screen 'reconnecting in [0-9]+ s'
assert_status_bar

start_mcsim alpha --port "$PORT_alpha" --players "$PL"
wait_screen '│● alpha ' 70
wait_screen '│ Alice ' 10
type_text 'seed'
keys Enter
wait_log alpha 'seed'
wait_screen 'Seed: '

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
