#!/bin/sh
# pointer.sh: keys and pointer (issue 8, part 4).  Tab with several
# candidates lists them above the command line and cycles; the player panel
# is sorted without regard to case; the mouse (SGR 1006, asked of the
# terminal, off again at exit and with --no-mouse or mouse = false): a click
# selects the second server, a player, a pane, the wheel scrolls the log;
# Esc then ':' quickly is not lost; C-z without job control is ignored with
# a message instead of freezing the screen; the help fits and wraps at
# 40x10 and says that Shift+drag still selects text.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file carol Alice dave Bob)
start_mcsims "--players $PL" alpha beta
servers_config 'refresh = 1;' alpha beta

# Prints a tmux pane flag (mouse_sgr_flag, mouse_any_flag...).
pane_flag() { tmux -S "$SOCK" display-message -p -t 0 "#{$1}"; }
# Pages the open help down until PAT shows (fails after 40 pages).
help_find() {
	n=0
	while ! screen | grep -Eq -- "$1"; do
		keys NPage
		n=$((n + 1))
		[ $n -gt 40 ] && fail "the help never shows /$1/"
		sleep 0.05
	done
}
# Sends an SGR mouse report: button, column, row (1-based), M press / m release.
mouse() { keys -H $(printf '\033[<%s;%s;%s%s' "$1" "$2" "$3" "$4" | od -An -tx1); }

start_tui --config "$CFG"
wait_servers_up alpha beta

# The player panel, sorted case-insensitively.
wait_screen '│ Alice '
order=$(screen | sed -n 's/.*│ \(Alice\|Bob\|carol\|dave\) .*/\1/p' | tr '\n' ' ')
[ "$order" = "Alice Bob carol dave " ] || fail "player panel order: '$order'"

# Tab with several candidates: the list above the command line, then cycling.
type_text 'ga'
keys Tab
wait_screen 'alpha> game'
wait_screen '^gamemode  gamerule'
keys Tab
wait_screen 'alpha> gamemode'
keys Tab
wait_screen 'alpha> gamerule'
wait_screen '^gamemode  gamerule'
keys Tab
wait_screen 'alpha> gamemode'
# Any other key ends the list (and the panes under it are whole again).
keys C-u
wait_screen_gone 'gamemode  gamerule'
wait_screen '^└─+┘└─+┘└─+┘$'
# Player names are listed in the panel's order.
type_text 'tell '
keys Tab
wait_screen '^Alice  Bob  carol  dave'
wait_screen 'alpha> tell Alice'
keys C-u
wait_screen_gone 'Alice  Bob'


# The mouse is asked for in SGR form.
[ "$(pane_flag mouse_sgr_flag)" = 1 ] || fail "SGR mouse mode not on"
# A click on the second row of the server list selects beta and focuses the list.
mouse 0 5 3 M
mouse 0 5 3 m
wait_screen '[┐╗]┌ beta '
wait_screen '^╔ Servers 2'
# A click on the log pane focuses it; on the third player selects carol.
mouse 0 40 5 M
wait_screen '╗?╔ beta '
mouse 0 70 4 M
wait_screen '╔ Players'
wait_screen '║ carol '
keys Enter
wait_screen 'm  message'
keys Escape
wait_screen_gone 'm  message'
# A click on the command line gives it focus again.
mouse 0 3 24 M
wait_screen_gone '╔'

# The wheel scrolls the log.
type_text 'sim chars 1500 latin'
keys Enter
wait_log beta 'sim chars 1500 latin'
mouse 64 40 10 M
wait_screen '↓ PgDn'
mouse 65 40 10 M
mouse 65 40 10 M
wait_screen_gone '↓ PgDn'

# Esc followed at once by ':' (one write, as a quick typist's) is Esc, then ':'.
keys Tab
wait_screen '^╔ Servers 2'
keys Escape :
wait_screen 'beta> :'
wait_screen_gone '╔'
keys C-u
keys Escape :
wait_screen 'beta> :'
keys C-u

# C-z with no job-control shell above the console: ignored, screen alive.
keys C-z
wait_screen 'no job control'
type_text 'still-alive'
wait_screen 'beta> still-alive'
keys C-u

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
[ "$(pane_flag mouse_any_flag)" = 0 ] || fail "mouse mode left on after exit"
assert_restored

# --no-mouse: the terminal keeps its clicks.
start_tui --no-mouse --config "$CFG"
wait_screen '│● beta '
[ "$(pane_flag mouse_any_flag)" = 0 ] || fail "mouse mode on with --no-mouse"
keys F1
wait_screen 'Help: Up/Down'
help_find 'mouse = false or --no-mouse'
keys q
keys F10
wait_exit >/dev/null

# mouse = false in the file does the same.
sed -i 's/^refresh = 1;/refresh = 1;\nmouse = false;/' "$CFG"
start_tui --config "$CFG"
wait_screen '│● beta '
[ "$(pane_flag mouse_any_flag)" = 0 ] || fail "mouse mode on with mouse = false"
keys F10
wait_exit >/dev/null

# The help at 40x10: inside the frame, wrapped, scrollable, and it tells
# about Shift+drag.
sed -i '/^mouse = false;/d' "$CFG"
start_tui 40x10 --config "$CFG"
wait_screen 'alpha> '
# At 40x10 the servers are a tab bar: a click on a tab selects that server.
wait_screen '^●alpha.? ●beta'
mouse 0 10 1 M
wait_screen '^┌ beta '
mouse 0 2 1 M
wait_screen '^┌ alpha '
keys F1
wait_screen '^╔ Help'
wait_screen '╗$'
screen | head -n 9 | tail -n 1 | grep -Eq '^╚[═↓]+╝$' || fail "the help box is not whole at 40x10"
[ "$(screen | sed -n '2,8p' | grep -Evc '^║.*║$')" = 0 ] || fail "a help row leaves the box at 40x10"
help_find 'S-drag'
screen | grep -q 'select text' || fail "the help does not say what S-drag does"
# Wrapped descriptions continue under their column.
n=0
while ! screen | grep -Eq '║ +the selected server +║'; do
	keys PPage
	n=$((n + 1))
	[ $n -gt 40 ] && fail "a long description was not wrapped"
	sleep 0.05
done
keys q
wait_screen_gone '╔ Help'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st at 40x10"

# Under a job-control shell C-z still suspends, and fg brings it back.
if command -v bash >/dev/null 2>&1; then
	resize 80 24
	tmux -S "$SOCK" respawn-pane -k -t 0 "env PS1='sh\$ ' bash --norc --noprofile -i" ||
		fail "respawn a shell"
	wait_screen '^sh\$'
	type_text "'$RCONSOLE' --config '$CFG'"
	keys Enter
	wait_screen '│● alpha '
	keys C-z
	wait_screen 'Stopped'
	type_text 'fg'
	keys Enter
	wait_screen '│● alpha '
	keys F10
	wait_screen_gone '│● alpha '
fi
exit 0
