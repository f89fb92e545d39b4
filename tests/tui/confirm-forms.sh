#!/bin/sh
# confirm-forms.sh: the y/N question catches a listed command however the
# server would still run it: under a namespace ("minecraft:stop", which
# Paper and Spigot take for stop; "bukkit:reload") and after `execute ...
# run` (vanilla runs "execute as @a run kill @s" as kill).  Before, only
# the bare words asked, and these went out at once.  A declined line is
# not sent; an answered one is, as typed; a harmless execute asks nothing.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 1 140x24
# Writes $1 as an extended regular expression matching it literally.
ere() { printf '%s' "$1" | sed 's/[]*^$()+?{}|.[\\]/\\&/g'; }
for c in 'minecraft:stop' 'bukkit:reload confirm' 'execute as @a run kill @s' \
	'execute if entity @e[name=run] run minecraft:op Bob' \
	'minecraft:execute at @p run execute run ban Bob'; do
	type_text "$c"
	keys Enter
	wait_screen "send \"$(ere "$c")\" to alpha\\? \\[y/N\\]"
	keys n
	wait_screen 'cancelled: '
done
# Nothing of it went out; a harmless execute goes at once, and so does a
# confirmed one.
type_text 'execute run say hello'
keys Enter
wait_log alpha 'execute run say hello'
type_text 'execute as @a run kill @s'
keys Enter
answer_yes 'send "execute as @a run kill @s" to alpha\? \[y/N\]'
wait_log alpha 'execute as @a run kill @s'
for c in 'minecraft:stop' 'bukkit:reload confirm' \
	'execute if entity @e[name=run] run minecraft:op Bob' \
	'minecraft:execute at @p run execute run ban Bob'; do
	grep -qxF "$c" "$W/alpha.log" && fail "'$c' was sent unasked"
done
[ "$(grep -cxF 'execute as @a run kill @s' "$W/alpha.log")" = 1 ] ||
	fail "the confirmed execute went out other than once"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
