#!/bin/sh
# tree-many.sh: with more servers than are worth reading a command tree from
# at once (app-tree.c's APP_TREE_EAGER, 64), only the selected server is
# asked for `help`; the others are asked when selected, not at start (issue
# 11: 10,000 servers each answering `help` and each holding a tree).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

N=70
start_mcsim fleet --port 0 --servers $N --players 2
{
	echo 'refresh = 1;'
	echo 'servers = ('
	i=0
	while read -r port; do
		sep=,
		[ $i = $((N - 1)) ] && sep=
		printf '  { name = "srv%02d"; host = "127.0.0.1"; port = %s; password = "secret"; }%s\n' \
		    "$i" "$port" "$sep"
		i=$((i + 1))
	done < "$W/fleet.port"
	echo ');'
} > "$W/many.conf"
write_config < "$W/many.conf"

start_tui --config "$CFG"
wait_screen '│● srv00 '
# Every server READY and refreshed: each has sent `list` at least once.
wait_for 'test "$(log_count fleet list)" -ge $N' "a list from each of the $N servers"
wait_log fleet help
CACHE="$XDG_CACHE_HOME/rconsole"
wait_for 'test -s "$CACHE/srv00.tree"' "srv00's tree cached"
sleep 1
[ "$(log_count fleet help)" = 1 ] || fail "help sent $(log_count fleet help) times, want 1 (srv00 only)"
[ -e "$CACHE/srv01.tree" ] && fail "srv01's tree read before it was selected"

# Selecting srv01 asks it, once; going back to srv00 asks nobody again.
keys C-n
wait_screen 'srv01>'
wait_for 'test "$(log_count fleet help)" = 2' "help from srv01 once selected"
wait_for 'test -s "$CACHE/srv01.tree"' "srv01's tree cached"
keys C-p
wait_screen 'srv00>'
sleep 1
[ "$(log_count fleet help)" = 2 ] || fail "help sent again on reselecting srv00"
[ -e "$CACHE/srv02.tree" ] && fail "srv02's tree read though never selected"

keys F10
[ "$(wait_exit)" = 0 ] || fail "exit status"
exit 0
