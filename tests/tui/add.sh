#!/bin/sh
# add.sh: :add asks for name, host, port, tags, read-only and password
# (masked), asks again after a wrong answer, stores the
# password in a 0600 file beside the config, saves the profile atomically,
# connects at once, and the saved profile works after a restart.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim beta --port 0 --players 2 --password 'b3ta pw'
start_alpha_tui -p 1 -c 'refresh = 1;'
type_text ':add'
keys Enter
wait_screen 'new server name:'
type_text 'bad name!'
keys Enter
wait_screen 'a name is 1-64 letters'
# Asked again: a name already taken is refused too.
keys C-u
type_text 'alpha'
wait_screen 'new server name: alpha .*name taken'
keys Enter
wait_screen "there is already a server named 'alpha'"
keys C-u
type_text 'beta'
keys Enter
wait_screen 'host\[:port\]:'
type_text '127.0.0.1'
keys Enter
wait_screen 'port \[25575\]:'
type_text '99999'
keys Enter
wait_screen 'a port is a number 1-65535'
keys C-u
type_text "$PORT_beta"
keys Enter
wait_screen 'tags'
keys Enter
wait_screen 'read-only'
keys Enter
wait_screen 'RCON password:'
type_text 'b3ta pw'
wait_screen 'RCON password: \*\*\*\*\*\*\*'
screen | grep -q 'b3ta pw' && fail "password echoed"
keys Enter
wait_screen '│● beta '
wait_screen 'added beta'

pass="$W/beta.pass"
[ -f "$pass" ] || fail "no password file $pass"
[ "$(stat -c %a "$pass")" = 600 ] || fail "password file mode $(stat -c %a "$pass")"
[ "$(cat "$pass")" = 'b3ta pw' ] || fail "password file holds '$(cat "$pass")'"
[ "$(stat -c %a "$CFG")" = 600 ] || fail "config mode $(stat -c %a "$CFG")"
grep -q '"beta"' "$CFG" || fail "profile not saved: $(cat "$CFG")"
grep -q 'b3ta pw' "$CFG" && fail "password written into the config"
grep -q "password_file" "$CFG" || fail "no password_file in the saved profile"

# The new server is selected and usable; the old one still works.
type_text 'seed'
keys Enter
wait_log beta 'seed'
keys M-1
wait_screen '┐┌ alpha '
type_text 'seed'
keys Enter
wait_log alpha 'seed'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# A new console reads the saved profile and its password file.
start_tui --config "$CFG"
wait_screen '│● beta '
wait_screen '│● alpha '
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
