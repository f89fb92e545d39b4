#!/bin/sh
# mono.sh: colours only where they are wanted and possible — a colour
# terminal gets colour; NO_COLOR, --no-color and a monochrome terminal
# (xterm-mono, vt100) get no colour at all, and the roles are still told
# apart by attributes: bold titles, the focused pane's title in reverse, an
# error underlined.  Checked on the attributes tmux holds for each cell
# (capture-pane -e).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 2
alpha_config 'refresh = 0;'

COLOUR='^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'

# Runs the console with the arguments after $1, focuses the server list,
# shows an error message, and collects the SGR parameters seen on the
# screen into $W/sgr.  $1 is "mono" when the focused title must turn
# reverse (what a monochrome screen shows focus with), else "colour".
sample() {
	want=$1
	shift
	start_tui "$@" --config "$CFG"
	wait_screen '[│x][^│x]* alpha '
	keys Tab
	wait_screen '╔ Servers 1'
	[ "$want" = mono ] &&
		wait_for '[ -n "$(screen_sgr_params | grep -x 7)" ]' "reverse video on the focused title"
	screen_sgr_params > "$W/sgr"
	keys Escape
	wait_screen_gone '╔ Servers 1'
	type_text ':nosuch'
	keys Enter
	wait_screen "unknown console command"
	screen_sgr_params >> "$W/sgr"
	# C-q: a vt100 has no F10 key for tmux to send.
	keys C-q
	st=$(wait_exit)
	[ "$st" = 0 ] || fail "exit status $st"
	assert_restored
}

# Asserts no colour in $W/sgr, and bold, reverse and underline present.
assert_mono() {
	bad=$(grep -E "$COLOUR" "$W/sgr" | tr '\n' ' ')
	[ -z "$bad" ] || fail "$1: colour codes on a monochrome screen: $bad"
	for a in 1 4 7; do
		grep -qx "$a" "$W/sgr" || fail "$1: attribute $a never used: $(tr '\n' ' ' < "$W/sgr")"
	done
}

# A colour terminal: colours (so the checks below can tell the difference).
TUI_ENV= sample colour
grep -Eq "$COLOUR" "$W/sgr" || fail "no colour on a colour terminal: $(tr '\n' ' ' < "$W/sgr")"

TUI_ENV='NO_COLOR=1' sample mono
assert_mono NO_COLOR
TUI_ENV= sample mono --no-color
assert_mono --no-color
TUI_ENV='TERM=xterm-mono' sample mono
assert_mono xterm-mono
TUI_ENV='TERM=vt100' sample mono
assert_mono vt100
exit 0
