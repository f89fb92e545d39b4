#!/bin/sh
# many.sh: a list longer than the screen (issue 11 redraws only the rows on
# screen and the selected server).  A server that fails while scrolled off
# shows its state once scrolled to; a visible server that is not selected
# counts its reconnect down by itself, second by second.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim fleet --port 0 --servers 58 --players 2
start_mcsim dead --port 0
DEAD=$PORT_dead
stop_mcsim dead   # nothing listens on DEAD now: srv59 keeps reconnecting

{
	echo 'refresh = 1;'
	echo 'servers = ('
	i=0
	while read -r port; do
		pw=secret
		[ $i = 30 ] && pw=wrong
		printf '  { name = "srv%02d"; host = "127.0.0.1"; port = %s; password = "%s"; },\n' \
		    "$i" "$port" "$pw"
		i=$((i + 1))
	done < "$W/fleet.port"
	echo '  { name = "srv58"; host = "127.0.0.1"; port = '"$DEAD"'; password = "secret"; },'
	echo '  { name = "srv59"; host = "127.0.0.1"; port = '"$DEAD"'; password = "secret"; }'
	echo ');'
} > "$W/many.conf"
write_config < "$W/many.conf"

start_tui --config "$CFG"
wait_screen '│● srv00 '
screen | grep -q 'srv30' && fail "srv30 should start off screen"

# Up twice from the first: srv58 selected, srv59 on the last row, unselected.
# (One key at a time: the list scrolls to show the selection as it is drawn.)
keys C-p
wait_screen 'srv59>'
keys C-p
wait_screen 'srv58>'
wait_screen '│. srv59 +retry [0-9]+s'
# Wait for a countdown of 2 s or more, then see it tick down with nothing
# else happening to that server.
n=0
i=0
while [ "$n" -lt 2 ]; do
	n=$(screen | sed -n 's/.*│. srv59 *retry \([0-9]*\)s.*/\1/p' | head -n 1)
	n=${n:-0}
	i=$((i + 1))
	[ $i -gt 600 ] && fail "srv59's backoff never reached 2 s"
	[ "$n" -lt 2 ] && sleep 0.05
done
wait_screen "│. srv59 +retry $((n - 1))s" 3

# srv30 failed authentication while off screen: scrolled to, it says so.
k=0
while [ $k -lt 28 ]; do
	keys C-p
	k=$((k + 1))
done
wait_screen 'srv30>'
wait_screen '│. sr[^ ]* +auth failed'  # the name gives way to the state

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
