#!/bin/sh
# tag.sh: `rconsole --tag prod` opens the console on exactly the profiles
# tagged prod: they are listed and connect, the other one is neither listed
# nor contacted (nothing in its mcsim log, no login either).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 1
start_mcsim beta --port 0 --players 2
start_mcsim gamma --port 0 --players 3
write_config <<CONF
refresh = 1;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; tags = [ "prod" ]; },
  { name = "gamma"; host = "127.0.0.1"; port = $PORT_gamma; password = "wrong"; tags = [ "test" ]; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; tags = [ "prod" ]; }
);
CONF

start_tui --config "$CFG" --tag prod
wait_screen '│● alpha '
wait_screen '│● beta '
wait_log alpha list
wait_log beta list
screen | grep -q 'gamma' && fail "gamma is not tagged prod but is on the screen"
# gamma's password is wrong: any connection attempt would log #auth-failed.
[ ! -s "$W/gamma.log" ] || fail "gamma was contacted: $(cat "$W/gamma.log")"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st after F10"
exit 0
