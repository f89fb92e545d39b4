#!/bin/sh
# complete-all.sh: after ":all " and ":tag TAG ", Tab completes the players
# of the servers the command runs on, not only the selected server's.
# ":all kick Red" + Tab did nothing when RedstoneHunter was online on the
# other server (the one the kick was meant for); ":tag lobby kick " offered
# the selected server's players, which the command does not reach.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

printf '%s\n' Alice Bob > "$W/one.txt"
printf '%s\n' RedstoneHunter Bob Carol > "$W/two.txt"
printf '%s\n' Zoe > "$W/three.txt"
start_mcsim one --port 0 --players "$W/one.txt"
start_mcsim two --port 0 --players "$W/two.txt"
start_mcsim three --port 0 --players "$W/three.txt"
write_config <<CONF
health_refresh = 0;
servers = (
  { name = "one"; host = "127.0.0.1"; port = $PORT_one; password = "secret"; tags = [ "prod" ]; },
  { name = "two"; host = "127.0.0.1"; port = $PORT_two; password = "secret"; tags = [ "prod" ]; },
  { name = "three"; host = "127.0.0.1"; port = $PORT_three; password = "secret"; tags = [ "lobby" ]; }
);
CONF

start_tui 100x30 --config "$CFG"
wait_screen '│ Alice '
# Every server's players are known (the list refresh ran on each).
wait_screen '│● two +.* 3 '
wait_screen '│● three +.* 1 '

# On the selected server alone: its own players, as before.
type_text 'kick '
keys Tab
wait_screen '^Alice  Bob *$'
keys C-u

# :all reaches two: its player completes.
type_text ':all kick Red'
keys Tab
wait_screen 'one> :all kick RedstoneHunter '
keys C-u
# Names from every server are listed, a player on two servers once.
type_text ':all kick '
keys Tab
wait_screen '^Alice  Bob  Carol  RedstoneHunter  Zoe *$'
keys C-u
# :tag: only the tagged servers' players (any case of the tag).
type_text ':tag LOBBY kick '
keys Tab
wait_screen 'one> :tag LOBBY kick Zoe '
keys C-u
type_text ':tag prod kick '
keys Tab
wait_screen '^Alice  Bob  Carol  RedstoneHunter *$'
keys C-u

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
