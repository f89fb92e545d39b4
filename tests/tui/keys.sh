#!/bin/sh
# keys.sh: the global keys of DESIGN.md section 5 on three servers — Tab and
# Shift-Tab move focus, Alt-1..9 and Ctrl-N/Ctrl-P select servers (wrapping;
# an Alt digit past the last server does nothing), Alt-A jumps to unseen
# lines; F1, '?' outside the command line and :help show the help, which
# scrolls and closes, while '?' on the command line is just a character;
# Ctrl-L repaints a screen another process scribbled over; bare exit, quit
# and stop are server commands; a leading '/' is dropped; Tab completes a
# command word.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsims '--players 2' alpha beta gamma
# Refresh off: a quiet console, so only the keys change the screen.
servers_config 'refresh = 0;' alpha beta gamma

start_tui --config "$CFG"
wait_screen '│● gamma '
wait_screen '┐┌ alpha '

# Tab from an empty command line: servers, log, players, back to the line;
# Shift-Tab goes the other way.
keys Tab
wait_screen '^╔ Servers 3'
keys Tab
wait_screen '╗?╔ alpha '
keys Tab
wait_screen '╔ Players'
keys Tab
wait_screen_gone '╔'
keys BTab
wait_screen '╔ Players'
keys BTab
wait_screen '┐╔ alpha '
keys BTab
wait_screen '^╔ Servers 3'
keys BTab
wait_screen_gone '╔'

# Letters typed while the server list has focus go to the command line: a
# word such as "difficulty" must never act on the list (no disconnect).
keys Tab
wait_screen '^╔ Servers 3'
type_text 'difficulty'
wait_screen 'alpha> difficulty'
wait_screen_gone 'disconnected'
wait_screen '│● alpha '
keys C-u
wait_screen_gone 'alpha> difficulty'

# F5/F6 act on the selected server from any focus (here the command line).
keys F6
wait_screen '│○ alpha '
keys F5
wait_screen '│● alpha '

# Alt-A visits the servers with unseen lines (each has its "connected"),
# then says there are none; new lines on one bring it back.
wait_screen '│● beta .*•│'
wait_screen '│● gamma .*•│'
keys M-a
wait_screen '┐┌ beta '
wait_screen_gone '│● beta .*•│'
keys M-a
wait_screen '┐┌ gamma '
keys M-a
wait_screen 'no activity elsewhere'
type_text ':disconnect beta'
keys Enter
wait_screen '│○ beta .*•│'
keys M-a
wait_screen '┐┌ beta '
wait_screen '[0-9:]{8} disconnected'
type_text ':connect'
keys Enter
wait_screen '│● beta '

# Alt digits select servers; one past the last does nothing.
keys M-3
wait_screen '┐┌ gamma '
wait_screen ' gamma> '
keys M-2
wait_screen '┐┌ beta '
keys M-9
type_text 'x'
wait_screen ' beta> x'
keys C-u
keys M-1
wait_screen '┐┌ alpha '
# Ctrl-N and Ctrl-P step and wrap.
keys C-p
wait_screen '┐┌ gamma '
keys C-n
wait_screen '┐┌ alpha '
keys C-n
wait_screen '┐┌ beta '
keys M-1
wait_screen '┐┌ alpha '

# F1: the help; PgDn scrolls it; any other key closes it.
keys F1
wait_screen 'Help: Up/Down scroll'
wait_screen 'M-1..M-9 +select server 1-9'
screen | grep -q ':quit' && fail "the whole help fit: cannot test scrolling"
keys NPage NPage NPage NPage
wait_screen ':quit +leave rconsole'
keys Escape
wait_screen_gone 'Help: Up/Down scroll'
# '?' on the command line is a character; in a pane it is the help.
type_text '?'
wait_screen 'alpha> \? '
keys C-u
keys Tab
wait_screen '^╔ Servers 3'
type_text '?'
wait_screen 'Help: Up/Down scroll'
keys q
wait_screen_gone 'Help: Up/Down scroll'
# The key that closes the help does nothing else.
screen | tail -n 1 | grep -q 'alpha> q' && fail "the key closing the help was typed"
keys Escape
wait_screen_gone '╔'
type_text ':help'
keys Enter
wait_screen 'Help: Up/Down scroll'
keys Enter
wait_screen_gone 'Help: Up/Down scroll'

# Ctrl-L repaints what another process wrote over the console.
tty_write '\033[2J\033[HSCRIBBLE'
wait_screen 'SCRIBBLE'
wait_screen_gone '┌ Servers 3'
keys C-l
wait_screen '^┌ Servers 3 ─+┐┌ alpha '
wait_screen_gone 'SCRIBBLE'
assert_status_bar
[ "$(screen | wc -l)" = 24 ] || fail "not 24 rows after C-l"

# exit, quit and stop are server commands (stop asks first); a leading '/'
# is dropped.
for c in exit quit; do
	type_text "$c"
	keys Enter
	wait_log alpha "$c"
done
# "//stop" goes out as "/stop", which the server runs as stop: it asks too.
type_text '//stop'
keys Enter
wait_screen 'send "//stop" to alpha\? \[y/N\]'
keys n
wait_screen 'cancelled: //stop'
type_text '/stop'
keys Enter
answer_yes 'send "/stop" to alpha\? \[y/N\]'
wait_log alpha 'stop'
grep -q '^/' "$W/alpha.log" && fail "the leading / reached the server"
[ -s "$W/exit" ] && fail "a bare word quit the console"

# Tab completes a command word.
type_text 'whiteli'
keys Tab
wait_screen 'alpha> whitelist '
keys C-u

keys C-q
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st after C-q"
assert_restored
exit 0
