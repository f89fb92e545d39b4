#!/bin/sh
# fifo.sh: nothing the console opens can freeze it.  A profile whose
# password_file is a FIFO (no writer) and a server whose history file is a
# FIFO: the console opens, says what is wrong with each, `:connect` on the
# FIFO password file is refused at once (it would wait for a writer inside
# the loop), the other server works, F10 quits with 0, and both FIFOs are
# still there afterwards.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim good --port 0 --players 2
start_mcsim piped --port 0 --players 2
PASS="$W/pass.fifo"
mkfifo "$PASS" || fail "mkfifo"
mkdir -p "$XDG_STATE_HOME/rconsole/history"
chmod 700 "$XDG_STATE_HOME/rconsole" "$XDG_STATE_HOME/rconsole/history"
HIST="$XDG_STATE_HOME/rconsole/history/good"
mkfifo "$HIST" || fail "mkfifo"
write_config <<CONF
refresh = 0;
servers = (
  { name = "good"; host = "127.0.0.1"; port = $PORT_good; password = "secret"; },
  { name = "piped"; host = "127.0.0.1"; port = $PORT_piped; password_file = "$PASS"; }
);
CONF

start_tui 200x30 --config "$CFG"
wait_screen '│● good '
wait_screen 'history kept in memory only: '
wait_screen "$HIST is not a regular file"
type_text 'seed'
keys Enter
wait_log good 'seed'

keys M-2
wait_screen '┐┌ piped '
wait_screen 'config error: password file'
type_text ':connect piped'
keys Enter
wait_screen 'pass.fifo is not a regular file .a pipe or FIFO is read only'
# :connect then offers to type the password instead; decline.
keys Escape
wait_screen ':connect cancelled'
# Still responsive: the other server still answers.
keys M-1
type_text 'list'
keys Enter
wait_log good 'list'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
[ -p "$PASS" ] || fail "the password FIFO is gone"
[ -p "$HIST" ] || fail "the history FIFO was replaced"
[ -s "$W/piped.log" ] && fail "a login reached piped: $(cat "$W/piped.log")"
exit 0
