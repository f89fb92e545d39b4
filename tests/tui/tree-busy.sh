#!/bin/sh
# tree-busy.sh: a command tree asked for (:rehash) while a refresh is in
# flight still comes, with no user command to wake it (the server answers
# every command after 3 s; :rehash is typed just after a list reached it);
# and with command_tree = false an earlier run's cache is not used for
# completion (it was: app_tree() read the cache whatever the setting).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --delay 3000 --plugin-usage 'warp (list|set|delete) <name>'
alpha_config 'refresh = 1; health_refresh = 0;'
CACHE="$XDG_CACHE_HOME/rconsole/alpha.tree"

start_tui --config "$CFG"
wait_screen 'alpha'
wait_for 'test -s "$CACHE"' "the first command tree cached"
wait_for 'test "$(log_count alpha list)" -ge 1' "refreshes going on"
n=$(log_count alpha list)
wait_for 'test "$(log_count alpha list)" -gt '"$n" "the next refresh"
type_text ':rehash'
keys Enter
wait_screen 'reading the command tree'
wait_for 'test "$(log_count alpha help)" -ge 2' "help sent again after :rehash without a user command"
wait_screen 'command tree: [0-9]+ commands read'
n=$(log_count alpha list)
wait_for 'test "$(log_count alpha list)" -gt '"$n" "refreshes going on after the tree"
keys F10
[ "$(wait_exit)" = 0 ] || fail "rconsole did not exit 0"

# Trees off: the cached tree (which has /warp) completes nothing.
stop_mcsim alpha
start_mcsim alpha2 --port "$PORT_alpha"
alpha_config 'command_tree = false;'
test -s "$CACHE" || fail "the cache is gone"
start_tui --config "$CFG"
wait_screen 'alpha'
type_text 'war'
keys Tab
type_text 'X'
wait_screen 'alpha> warX'
keys F10
wait_exit > /dev/null
[ "$(log_count alpha2 help)" = 0 ] || fail "help sent with command_tree = false"
exit 0
