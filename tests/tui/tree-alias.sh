#!/bin/sh
# tree-alias.sh: mcsim's help lists vanilla's aliases as vanilla does
# ("/tp -> teleport", "/tell -> msg", "/w -> msg", "/xp -> experience",
# "/tm -> teammsg"), so the console does not call them unknown.  mcsim ran
# tp, tell and w but its help left them out: the demo showed "unknown
# command: tp" in red under "tp Alice Bob", and the word in red on the line.
# And an alias completes as its command does ("xp a", Tab: "xp add").
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p "$(players_file Alice Bob)" -c '' -f '│ Alice ' 100x24
# The command tree has been read: a known command's usage shows.
type_text 'teleport'
wait_screen '^teleport \(<location>\|<destination>\|<targets>\)'
keys C-u
# An alias shows the command it stands for, and that command's usage.
for alias in 'tp -> teleport \(<location>' 'tell -> msg <targets> <message>' 'w -> msg <targets>' \
    'xp -> experience \(add\|query\|set\)' 'tm -> teammsg <message>'; do
	type_text "${alias%% *}"
	wait_screen "^$alias"
	keys C-u
done
type_text 'tp Alice Bob'
wait_screen 'alpha> tp Alice Bob +RW'
screen | grep -q 'unknown command' && fail "tp called unknown"
keys Enter
wait_log alpha 'tp Alice Bob'
wait_screen 'Teleported Alice to Bob'
# An alias completes its command's words: xp stands for experience.
type_text 'xp a'
keys Tab
wait_screen 'alpha> xp add '
keys C-u
# Player names still complete after an alias.
type_text 'tell Al'
keys Tab
wait_screen 'alpha> tell Alice '
keys C-u
keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
