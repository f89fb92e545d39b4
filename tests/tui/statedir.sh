#!/bin/sh
# statedir.sh: the state directory is judged like ~/.ssh.  Group-writable:
# history is neither read (a planted entry is not offered by Up) nor written,
# and the console says why once.  Then, in a good directory whose history/
# is swapped for a file under the running console, the failed save is shown
# in the log pane instead of being dropped silently.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 2
start_mcsim beta --port 0 --players 2
SD="$XDG_STATE_HOME/rconsole"
mkdir -p "$SD/history"
printf 'op planted\n' > "$SD/history/alpha"
chmod 700 "$SD/history"
chmod 775 "$SD"
write_config <<CONF
refresh = 0;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; }
);
CONF

start_tui 200x30 --config "$CFG"
wait_screen '│● alpha '
wait_screen "history off .neither read nor saved.: $SD is writable by group or others"
keys Up
type_text 'X'
wait_screen 'alpha> X'
keys C-u
type_text 'list'
keys Enter
wait_log alpha 'list'
keys M-2
wait_screen '┐┌ beta '
screen | grep -q 'history off' && fail "told again on beta"
type_text 'seed'
keys Enter
wait_log beta 'seed'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
[ "$(cat "$SD/history/alpha")" = "op planted" ] || fail "alpha's history was written: $(cat "$SD/history/alpha")"
[ -e "$SD/history/beta" ] && fail "beta's history was written"

# A good directory: history is read and saved ...
chmod 700 "$SD"
start_tui 200x30 --config "$CFG"
wait_screen '│● alpha '
screen | grep -q 'history off' && fail "history off in a good directory"
keys Up
wait_screen 'alpha> op planted'
keys C-u
type_text 'seed'
keys Enter
wait_log alpha 'seed'
wait_for 'grep -qx seed "$SD/history/alpha"' "the history save"
# ... until saving fails: told in the log pane, once.
rm -rf "$SD/history"
: > "$SD/history"
type_text 'tps'
keys Enter
wait_screen "history not saved: cannot create a file next to $SD/history/alpha: Not a directory"
type_text 'mspt'
keys Enter
wait_log alpha 'mspt'
[ "$(screen | grep -c 'history not saved')" = 1 ] || fail "the failure was told more than once"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
