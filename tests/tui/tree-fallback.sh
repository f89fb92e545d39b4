#!/bin/sh
# tree-fallback.sh: a server whose `help` gives no usage still completes
# from the fixed list (and has no plugin words); a read-only console still
# reads the tree (help is in the allowlist) and completes from it; a
# Paper-style paged help is read page after page.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim nohelp --port 0 --help-style unknown --plugin-usage 'warp (list|set|delete) <name>'
start_mcsim ro --port 0 --plugin-usage 'warp (list|set|delete) <name>'
start_mcsim locked --port 0
start_mcsim paper --port 0 --help-style paper --plugin-usage 'warp (list|set|delete) <name>'
write_config <<CONF
refresh = 0;
servers = (
  { name = "nohelp"; host = "127.0.0.1"; port = $PORT_nohelp; password = "secret"; },
  { name = "ro"; host = "127.0.0.1"; port = $PORT_ro; password = "secret"; read_only = true; },
  { name = "paper"; host = "127.0.0.1"; port = $PORT_paper; password = "secret"; },
  { name = "locked"; host = "127.0.0.1"; port = $PORT_locked; password = "secret";
    read_only = true; readonly_allow = [ "list" ]; }
);
CONF

start_tui --config "$CFG"
wait_log nohelp 'help'
wait_log ro 'help'
wait_screen '^ nohelp>  +R'
type_text 'whiteli'
keys Tab
wait_screen 'nohelp> whitelist  '
keys C-u
type_text 'war'
keys Tab
sleep 0.3
screen | grep -q 'nohelp> warp' && fail "a plugin word without a tree"
keys C-u
[ -e "$XDG_CACHE_HOME/rconsole/nohelp.tree" ] && fail "a failed tree was cached"
[ "$(log_count nohelp help)" = 1 ] || fail "help sent $(log_count nohelp help) times"

# The read-only server: select it (Ctrl-N) and complete from its tree.
keys C-n
wait_screen '^ ro>  +R'
wait_for 'test -s "$XDG_CACHE_HOME/rconsole/ro.tree"' "ro's tree cached"
type_text 'war'
keys Tab
wait_screen 'ro> warp  '
keys C-u
type_text 'time q'
keys Tab
wait_screen 'ro> time query  '
keys C-u

# Paper: page 1 says there are 2, so `help 2` follows; its last entry is
# the plugin's.
wait_log paper 'help 2'
[ "$(log_count paper help)" = 1 ] || fail "paper: help sent $(log_count paper help) times"
[ "$(grep -c '^help' "$W/paper.log")" = 2 ] || fail "paper: pages $(grep '^help' "$W/paper.log")"
keys C-n
wait_screen '^ paper>  +R'
wait_for 'test -s "$XDG_CACHE_HOME/rconsole/paper.tree"' "paper's tree cached"
type_text 'war'
keys Tab
wait_screen 'paper> warp  '
keys C-u

# A read-only allowlist without help: no tree, never sent, :rehash says
# why, and the fixed list completes.
keys C-n
wait_screen '^ locked>  +R'
type_text ':rehash'
keys Enter
wait_screen "command tree not read: 'help'"
[ -s "$W/locked.log" ] && fail "something reached locked: $(cat "$W/locked.log")"
type_text 'whiteli'
keys Tab
wait_screen 'locked> whitelist  '
keys C-u
keys F10
wait_exit > /dev/null
exit 0
