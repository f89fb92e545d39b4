#!/bin/sh
# fdlimit.sh: the console and the descriptor limit.  Under a low soft limit
# (ulimit -S -n 30) with a higher hard one, 40 servers all connect: the
# console raises the soft limit whatever the number of servers (before,
# only past 256, and the servers past the 30th descriptor kept retrying
# with "Too many open files").  Under a low hard limit (ulimit -n 30) the
# first server's transcript says the limit is too low, by how much, and the
# ulimit to run, instead of servers failing one by one unexplained.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup
start_mcsim many --servers 40
{
	printf 'servers = ('
	i=0
	for p in $(grep '^[0-9]' "$W/many.port"); do
		[ $i -gt 0 ] && printf ', '
		printf '{ name = "s%d"; host = "127.0.0.1"; port = %d; password = "secret"; }' "$i" "$p"
		i=$((i + 1))
	done
	printf ' );\n'
} > "$W/conf.txt"
write_config < "$W/conf.txt"
REAL=$RCONSOLE
RCONSOLE=$W/limited.sh

# The soft limit alone: raised, and every server connects.  This needs a
# hard limit above what 40 servers take; below it, only the second half
# runs, and the log says so.
hard=$(ulimit -H -n)
if [ "$hard" = unlimited ] || [ "$hard" -ge 256 ]; then
	printf '#!/bin/sh\nulimit -S -n 30 || exit 99\nexec "%s" "$@"\n' "$REAL" > "$W/limited.sh"
	chmod +x "$W/limited.sh"
	start_tui 100x50 --config "$CFG" --all
	wait_screen '│● s39 '
	wait_for '! screen | grep -q "↻"' "every server to be connected (none retrying)"
	! screen | grep -q 'descriptor limit' || fail "a warning under a soft limit the console could raise"
	keys F10
	st=$(wait_exit)
	[ "$st" = 0 ] || fail "exit status $st: $(cat "$W/stderr")"
else
	say "NOTE: hard descriptor limit $hard (< 256): the raised soft limit is not checked here"
fi

# The hard limit too: said once, with the figures and what to run.
printf '#!/bin/sh\nulimit -n 30 || exit 99\nexec "%s" "$@"\n' "$REAL" > "$W/limited.sh"
chmod +x "$W/limited.sh"
start_tui 100x50 --config "$CFG" --all
wait_screen 'the descriptor limit is 30 \(hard limit 30\)'
wait_screen 'too few for 40 servers'
wait_screen 'raise it \(ulimit -n [0-9]+\)'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st: $(cat "$W/stderr")"
exit 0
