#!/bin/sh
# complete-many.sh: Tab completes from every online player and every
# server, however many.  A server with 300 players online, the one asked
# for listed 300th, completes "kick Zed" to it; a console with 270
# servers completes ":connect zl" to the last one.  (Tab took the first
# 256 players in the server's own order, and the first 256 servers.)
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

i=1
: > "$W/names.txt"
while [ $i -lt 300 ]; do
	printf 'Player%03d\n' $i >> "$W/names.txt"
	i=$((i + 1))
done
echo Zed_Last >> "$W/names.txt"
start_mcsim big --port 0 --players "$W/names.txt" --max-players 1000
start_mcsim dead --port 0
DEAD=$PORT_dead
stop_mcsim dead   # nothing listens there: the filler servers stay down

{
	echo 'refresh = 0;'
	echo 'health_refresh = 0;'
	echo 'servers = ('
	echo "  { name = \"big\"; host = \"127.0.0.1\"; port = $PORT_big; password = \"secret\"; },"
	i=1
	while [ $i -lt 270 ]; do
		printf '  { name = "srv%03d"; host = "127.0.0.1"; port = %s; password = "secret"; tags = [ "t%03d" ]; },\n' \
		    $i "$DEAD" $i
		i=$((i + 1))
	done
	echo "  { name = \"zlast\"; host = \"127.0.0.1\"; port = $DEAD; password = \"secret\"; tags = [ \"zztag\" ]; }"
	echo ');'
} > "$W/many.conf"
write_config < "$W/many.conf"

start_tui --config "$CFG"
wait_screen 'big>'
# refresh = 0: one list by hand fills the player panel.
type_text list
keys Enter
wait_screen 'Players 300/'

type_text 'kick Zed'
keys Tab
wait_screen 'big> kick Zed_Last *RW'
keys C-u
wait_screen_gone 'kick Zed'

type_text ':connect zl'
keys Tab
wait_screen 'big> :connect zlast *RW'
keys C-u
wait_screen_gone ':connect'

# 270 tags, one per server: the last server's completes too.
type_text ':tag zz'
keys Tab
wait_screen 'big> :tag zztag *RW'
keys C-u

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
