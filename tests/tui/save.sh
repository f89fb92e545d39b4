#!/bin/sh
# save.sh: in a -H session, :save offers to save that server as a profile
# (name suggested, tags, read-only; the session's password goes to a 0600
# file beside the configuration), and the profile works in a new console.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 1
write_config <<CONF
servers = ( );
CONF
TUI_ENV='RCON_PASSWORD=secret' start_tui --config "$CFG" -H 127.0.0.1 -P "$PORT_alpha"
wait_screen '│● 127.0.0.1 '
type_text ':save'
keys Enter
wait_screen 'save as profile named: 127.0.0.1'
keys C-u
type_text 'adhoc'
keys Enter
wait_screen 'tags'
type_text 'lab'
keys Enter
wait_screen 'read-only'
keys Enter
# The session's password is used: no question for it.
wait_screen "saved 'adhoc' as a profile"
screen | grep -q 'RCON password' && fail "the password was asked again"
grep -q '"adhoc"' "$CFG" || fail "no profile saved: $(cat "$CFG")"
grep -q '"lab"' "$CFG" || fail "tags not saved: $(cat "$CFG")"
grep -q 'secret' "$CFG" && fail "the password was written into the configuration"
[ "$(cat "$W/adhoc.pass")" = secret ] || fail "password file holds '$(cat "$W/adhoc.pass")'"
[ "$(stat -c %a "$W/adhoc.pass")" = 600 ] || fail "password file mode"
# A second :save saves the file; it does not offer the server again.
type_text ':save'
keys Enter
wait_screen "^saved $CFG"
screen | grep -q 'save as profile named' && fail ":save offered the saved server again"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

start_tui --config "$CFG" adhoc
wait_screen '│● adhoc '
type_text 'seed'
keys Enter
wait_log alpha 'seed'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
