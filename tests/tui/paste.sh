#!/bin/sh
# paste.sh: nothing state-changing by accident (issue 8, part 1).  A
# bracketed paste and an unbracketed burst of "say one / say two / stop"
# land on the command line as text and send nothing until a typed Enter;
# Esc drops them and sends nothing at all; Enter sends one command per line
# in order, and the "stop" among them still asks y/N.  stop asks y/N and
# sends nothing on n, once on y; a pasted y never answers; :all asks,
# naming the command and the servers, and sends once per server on y;
# a read-only command and a profile's confirm = [ ] list do not ask.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsims '--players 2' alpha beta gamma
servers_config 'refresh = 0;
health_refresh = 0;   # no health probe among the commands this test counts' \
    alpha beta 'gamma:confirm = [ ]; '

start_tui --config "$CFG"
wait_servers_up alpha beta gamma

# Prints how many commands reached server NAME.
# (the console's own background `help`, issue 13, is not counted)
sent_all() { grep -cvx help "$W/$1.log"; }
# A marker command: once it is logged, everything typed before it was handled.
MARK=0
mark() {
	MARK=$((MARK + 1))
	type_text "sim echo mark$MARK"
	keys Enter
	wait_log "$1" "sim echo mark$MARK"
}

printf 'say one\nsay two\nstop\n' > "$W/three.txt"

# 1. Bracketed paste: text on the line, a notice, nothing sent.
tmux -S "$SOCK" load-buffer -b three "$W/three.txt"
tmux -S "$SOCK" paste-buffer -p -b three -t 0
wait_screen 'alpha> say one␤say two␤stop'
wait_screen '3 lines pasted — Enter sends them to alpha, Esc cancels'
# Esc drops it: nothing at all was sent.
keys Escape
wait_screen 'paste cancelled: nothing sent'
wait_screen_gone 'say one␤'
mark alpha
[ "$(sent_all alpha)" = 1 ] || fail "the cancelled paste sent something: $(cat "$W/alpha.log")"

# 2. The same as an unbracketed burst (a terminal without bracketed paste):
# tmux sends the buffer in one write, newlines as CR.
tmux -S "$SOCK" paste-buffer -b three -t 0
wait_screen 'alpha> say one␤say two␤stop'
wait_screen '3 lines pasted'
screen | grep -q 'y/N' && fail "a paste's newline ran a line"
[ "$(sent_all alpha)" = 1 ] || fail "the burst sent something before Enter"
keys Escape
wait_screen 'paste cancelled'

# 3. The burst again, then a typed Enter: one command per line, in order,
# and stop asks first; n sends nothing more.
tmux -S "$SOCK" paste-buffer -b three -t 0
wait_screen '3 lines pasted'
keys Enter
wait_screen 'send "stop" to alpha\? \[y/N\]'
wait_log alpha 'say two'
[ "$(grep -vx help "$W/alpha.log" | sed -n 2p)" = 'say one' ] || fail "lines out of order: $(cat "$W/alpha.log")"
[ "$(grep -vx help "$W/alpha.log" | sed -n 3p)" = 'say two' ] || fail "lines out of order: $(cat "$W/alpha.log")"
# A pasted y does not answer the question.
printf 'y' > "$W/y.txt"
tmux -S "$SOCK" load-buffer -b y "$W/y.txt"
tmux -S "$SOCK" paste-buffer -p -b y -t 0
keys n
wait_screen 'cancelled: stop'
mark alpha
[ "$(log_count alpha stop)" = 0 ] || fail "stop was sent after n (or by a pasted y)"

# 4. stop typed: asks; n sends nothing, y sends it once.
type_text 'stop'
keys Enter
wait_screen 'send "stop" to alpha\? \[y/N\]'
keys n
wait_screen 'cancelled: stop'
# The declined command is in the history, for another try.
keys Up
wait_screen 'alpha> stop'
keys C-u
wait_screen_gone 'alpha> stop'
mark alpha
[ "$(log_count alpha stop)" = 0 ] || fail "stop sent after n"
type_text '/STOP'
keys Enter
answer_yes 'send "/STOP" to alpha\? \[y/N\]'
wait_log alpha 'STOP'
[ "$(grep -c -i '^stop$' "$W/alpha.log")" = 1 ] || fail "stop sent more than once"

# 5. :all asks, naming the command and the servers; n sends nothing; y
# sends once per server.
keys M-2
wait_screen '┐┌ beta '
type_text ':all say hi'
keys Enter
wait_screen 'send "say hi" to 3 servers: alpha, beta, gamma'
keys n
wait_screen 'cancelled: :all say hi'
mark beta
for s in alpha beta gamma; do
	[ "$(log_count "$s" 'say hi')" = 0 ] || fail ":all sent to $s after n"
done
type_text ':all say hi'
keys Enter
answer_yes 'send "say hi" to 3 servers'
wait_screen ':all: sent to'
wait_log beta 'say hi'
wait_log gamma 'say hi'
mark beta
for s in beta gamma; do
	[ "$(log_count "$s" 'say hi')" = 1 ] || fail ":all sent $(log_count "$s" 'say hi') times to $s"
done
# Read-only commands go to every server without a question.
type_text ':all seed'
keys Enter
wait_screen ':all: sent to'
wait_log gamma 'seed'
screen | grep -q 'y/N' && fail ":all seed asked"

# 6. gamma's confirm = [ ] asks about nothing.
keys M-3
wait_screen '┐┌ gamma '
type_text 'kick Nobody'
keys Enter
wait_log gamma 'kick Nobody'

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# 7. A global confirm list replaces the default one.
sed -i 's/^refresh = 0;/refresh = 0;\nconfirm = [ "sim echo *" ];/' "$CFG"
start_tui --config "$CFG"
wait_screen '│● alpha '
type_text 'kick Nobody'
keys Enter
wait_log alpha 'kick Nobody'
type_text 'sim echo careful'
keys Enter
answer_yes 'send "sim echo careful" to alpha\? \[y/N\]'
wait_log alpha 'sim echo careful'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
