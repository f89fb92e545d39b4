#!/bin/sh
# authfix.sh: a server that refused the password can be given the right one
# without leaving the console.  The profile's password is wrong: the server
# shows "auth failed", and a command says to :connect it to type the
# password.  :connect asks for it (no echo); the typed one is used, the
# server connects and takes commands, and the server saw no second failed
# login.  (:connect only tried the refused password again — the one read at
# start is all the console has — so it failed again, one more failed login
# in the server's log, whatever had been fixed meanwhile.)  Enter alone
# tries the same password again; Esc cancels.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 2 --password right
write_config <<CONF
refresh = 0;
health_refresh = 0;
command_tree = false;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "wrong"; }
);
CONF

start_tui --config "$CFG"
wait_screen '│✖ al[^ ]* +auth failed'
type_text 'list'
keys Enter
wait_screen ':connect alpha to type'

# Esc cancels: nothing tried.
type_text ':connect'
keys Enter
wait_screen 'RCON password for alpha'
keys Escape
wait_screen ':connect cancelled'
[ "$(log_count alpha '#auth-failed')" = 1 ] || fail "Esc still tried to log in"

# Enter alone: the same (refused) password once more.
type_text ':connect'
keys Enter
wait_screen 'RCON password for alpha'
keys Enter
wait_for '[ "$(log_count alpha "#auth-failed")" = 2 ]' "a second login with the same password"
wait_screen '│✖ al[^ ]* +auth failed'

# The right one, typed: connected, commands go through.
type_text ':connect'
keys Enter
wait_screen 'RCON password for alpha'
type_text 'right'
screen | grep -q 'right' && fail "the password was echoed"
keys Enter
wait_screen '│● alpha '
type_text 'sim echo in'
keys Enter
wait_log alpha 'sim echo in'
[ "$(log_count alpha '#auth-failed')" = 2 ] || fail "another failed login: $(cat "$W/alpha.log")"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
