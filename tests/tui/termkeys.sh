#!/bin/sh
# termkeys.sh: keys as terminals really send them, whatever TERM says.
# tmux, screen and PuTTY send ESC [1~ / ESC [4~ for Home / End, which an
# xterm or vt100 terminfo entry does not list, and a vt100 entry knows no
# F10 (ESC [21~): those keys work, and an escape sequence nobody knows is
# dropped instead of typing "1~" into the command line.  In the C locale
# (SSH to a host with no locale set) the terminal still sends UTF-8: a
# non-ASCII letter must not swallow the keys after it, Enter included, and
# reaches the server as UTF-8.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 2
alpha_config 'refresh = 0;'

# Home, End, Delete and an unknown sequence on the command line, then F10.
check_keys() {
	start_tui --config "$CFG"
	wait_screen ' alpha> '
	wait_screen 'connected'
	type_text 'abc'
	keys Home
	type_text 'X'
	keys End
	type_text 'Y'
	keys Left DC
	type_text "$(printf '\033[99~')"
	type_text 'Z'
	wait_screen ' alpha> XabcZ '
	screen | grep -Eq ' alpha> .*[0-9]~' && fail "$1: an escape sequence typed as text"
	keys F10
	st=$(wait_exit)
	[ "$st" = 0 ] || fail "$1: F10 exited with $st"
}

TUI_ENV='TERM=xterm-256color' check_keys xterm-256color
TUI_ENV='TERM=vt100' check_keys vt100

# The C locale: UTF-8 typed on the terminal still ends with Enter.
TUI_ENV='LANG=C LC_ALL=C' start_tui --config "$CFG"
wait_screen ' alpha> '
wait_screen 'connected'
type_text 'say héllo wörld'
keys Enter
wait_log alpha 'say héllo wörld'
type_text 'sim echo after'
keys Enter
wait_log alpha 'sim echo after'
[ "$(log_count alpha 'say héllo wörld')" = 1 ] ||
	fail "the accented line did not reach the server as UTF-8: $(cat "$W/alpha.log")"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "C locale: F10 exited with $st"
exit 0
