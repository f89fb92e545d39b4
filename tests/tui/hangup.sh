#!/bin/sh
# hangup.sh: the terminal going away (an SSH session dropped: here the tmux
# server killed, which closes the pty) ends the console cleanly.  The kernel
# sends SIGHUP after stdin already reported the hangup; that late signal
# must not kill the process before it saves the command history and before
# --demo removes its temporary directory.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

# Waits until process $1 is gone.
wait_gone() {
	GONE_PID=$1
	wait_for '! kill -0 "$GONE_PID" 2>/dev/null' "rconsole (pid $1) to exit after the hangup"
}

# Kills the tmux server: the pane's terminal hangs up.
hang_up() {
	tmux -S "$SOCK" kill-server >/dev/null 2>&1
}

start_mcsim alpha --port 0 --players 2
alpha_config 'refresh = 0;'

# A command typed just before the hangup is in the saved history.
start_tui --config "$CFG"
wait_screen 'connected'
type_text 'sim echo typed-before-the-hangup'
keys Enter
wait_log alpha 'sim echo typed-before-the-hangup'
hang_up
wait_gone "$TUI_PID"
grep -rqx 'sim echo typed-before-the-hangup' "$XDG_STATE_HOME" ||
	fail "the history lost the last command: $(find "$XDG_STATE_HOME" -type f)"

# The demo leaves nothing behind in TMPDIR.
mkdir -p "$W/tmp"
TUI_ENV="TMPDIR=$W/tmp" start_tui --demo
wait_screen 'survival'
wait_for '[ -n "$(ls -A "$W/tmp")" ]' "the demo's temporary directory"
hang_up
wait_gone "$TUI_PID"
[ -z "$(ls -A "$W/tmp")" ] || fail "the demo left $(ls -A "$W/tmp") behind"
exit 0
