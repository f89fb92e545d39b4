#!/bin/sh
# addpass.sh: :add never renames over a password file another profile uses.
# Profile "old" keeps its password in the very file :add would pick for a
# server called "new" (new.pass beside the config): :add stores the new
# password in new.2.pass instead, old's file is untouched, and both servers
# connect with their own passwords, also after a restart.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim old --port 0 --players 1 --password 'old pw'
start_mcsim new --port 0 --players 1 --password 'new pw'
printf 'old pw\n' > "$W/new.pass"
chmod 600 "$W/new.pass"
write_config <<CONF
refresh = 0;
servers = ( { name = "old"; host = "127.0.0.1"; port = $PORT_old; password_file = "$W/new.pass"; } );
CONF

start_tui 160x30 --config "$CFG"
wait_screen '│● old '
add_server new "127.0.0.1:$PORT_new" 'new pw'
wait_screen '│● new '
wait_screen "password in $W/new.2.pass"
[ "$(cat "$W/new.pass")" = 'old pw' ] || fail "old's password file was replaced: $(cat "$W/new.pass")"
[ "$(cat "$W/new.2.pass")" = 'new pw' ] || fail "new.2.pass holds '$(cat "$W/new.2.pass")'"
[ "$(stat -c %a "$W/new.2.pass")" = 600 ] || fail "mode $(stat -c %a "$W/new.2.pass")"
type_text 'seed'
keys Enter
wait_log new 'seed'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# After a restart both profiles still authenticate with their own files.
start_tui 160x30 --config "$CFG"
wait_screen '│● old '
wait_screen '│● new '
type_text ':all seed'
keys Enter
wait_for '[ "$(grep -c "^seed" "$W/new.log")" = 2 ]' "seed on new again"
wait_log old 'seed'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
