# lib.sh: helpers for the console's end-to-end tests in tmux.
#
# Each test sources this file, calls tui_setup, starts mcsim and rconsole
# (most with start_alpha_tui: one server, alpha, and the console on it;
# several with start_mcsims, servers_config and wait_servers_up), and asserts on what tmux shows (capture-pane) and on what reached mcsim
# (its --log).  Every wait polls with a deadline; nothing asserts on a fixed
# sleep.  Everything lives in a private temporary directory and a private
# tmux server, removed on every exit path by the trap.
#
# Environment from make check: RCONSOLE, MCSIM, TOP_SRCDIR, TOP_BUILDDIR.

set -u

TUI_WAIT=${TUI_WAIT:-15}        # seconds a condition may take before failing
W=
SOCK=
MCSIM_PIDS=
# fail, poll_until, free_port, http_get (tests/support/check.sh); claim_ports,
# LOCK_PIDS (tests/support/ports.sh).
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
. "${TOP_SRCDIR:-.}/tests/support/ports.sh"

# Prints a message to stderr.
say() { printf '%s\n' "$*" >&2; }

# Removes the tmux server, mcsim processes and the work directory.
tui_cleanup() {
	if [ -n "$SOCK" ]; then
		tmux -S "$SOCK" kill-server >/dev/null 2>&1
	fi
	for p in $MCSIM_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $MCSIM_PIDS; do
		wait "$p" 2>/dev/null
	done
	for p in $LOCK_PIDS; do
		kill "$p" 2>/dev/null
	done
	[ -n "$W" ] && rm -rf "$W"
}

# Checks the tools, makes the work directory and installs the trap.  A
# missing tool is a hard error (99), never a skip: a CI without tmux must
# not pass with no console test run (./bootstrap installs it).
tui_setup() {
	command -v tmux >/dev/null 2>&1 ||
	    { say "ERROR: tmux not installed (./bootstrap installs it)"; exit 99; }
	[ -n "${RCONSOLE:-}" ] && [ -x "$RCONSOLE" ] || { say "ERROR: RCONSOLE not built"; exit 99; }
	[ -n "${MCSIM:-}" ] && [ -x "$MCSIM" ] || { say "ERROR: MCSIM not built"; exit 99; }
	W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-tui.XXXXXX") || exit 99
	trap 'rc=$?; tui_cleanup; exit $rc' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 141' PIPE
	trap 'exit 143' TERM
	SOCK="$W/tmux.sock"
	export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
	export HOME="$W/home" XDG_STATE_HOME="$W/state" XDG_CONFIG_HOME="$W/config"
	export XDG_CACHE_HOME="$W/cache"
	unset RCONSOLE_CONFIG RCON_HOST RCON_PORT RCON_PASSWORD RCON_PASSWORD_FILE
	unset MCRCON_HOST MCRCON_PORT MCRCON_PASS NO_COLOR TMUX
	mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
	cat > "$W/tmux.conf" <<'CONF'
set -g status off
set -g remain-on-exit on
set -g default-terminal "screen-256color"
set -g history-limit 100
set -g escape-time 0
CONF
	# Every bell the console rings is a line of $W/bells (see bells).
	: > "$W/bells"
	printf 'set-hook -g alert-bell "run-shell \\"echo >> %s/bells\\""\n' "$W" >> "$W/tmux.conf"
	cat > "$W/run.sh" <<'RUN'
#!/bin/sh
# Runs the console in the pane; records its pid, its exit status, and the
# terminal modes once it is gone (to check they were restored); then reads
# one line as the shell after it would, into $w/after (see after_paste).
w=$1
shift
sh -c 'echo $$ > "$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid" && exec "$@"' "$w" "$@" 2> "$w/stderr"
echo $? > "$w/exit.tmp"
stty -a > "$w/stty" 2>&1
mv "$w/exit.tmp" "$w/exit"
IFS= read -r line
printf '%s\n' "$line" > "$w/after.tmp"
mv "$w/after.tmp" "$w/after"
RUN
	chmod +x "$W/run.sh"
}

# What fail shows after its message: the screen as it is and rconsole's stderr.
tui_fail_details() {
	if [ -n "$SOCK" ] && tmux -S "$SOCK" has-session 2>/dev/null; then
		say "---- screen ----"
		screen >&2
		say "----------------"
	fi
	[ -n "$W" ] && [ -s "$W/stderr" ] && { say "---- stderr ----"; cat "$W/stderr" >&2; }
	return 0
}
FAIL_HOOK=tui_fail_details

# Starts mcsim; NAME names its log ($W/NAME.log) and port file.  Extra
# arguments go to mcsim.  Sets PORT.  Ports another test holds (one of its
# servers is stopped) are given back and mcsim started again.  A fixed port
# (a server started again where it was) can be busy for a moment: another
# test's client may have it as the local end of a connection, since port 0
# and outgoing connections draw from the same range.  That is waited out.
start_mcsim() {
	tries=0
	busy=0
	while :; do
		start_mcsim_once "$@" && return 0
		if [ "$MCSIM_BUSY" = 1 ]; then
			busy=$((busy + 1))
			[ $busy -lt $((TUI_WAIT * 5)) ] ||
				fail "mcsim $1 did not start: $(cat "$W/$1.err")"
			sleep 0.2
			continue
		fi
		tries=$((tries + 1))
		[ $tries -lt 20 ] || fail "mcsim $1: no port free of other tests' locks"
	done
}

# Succeeds when the mcsim arguments ask for a port other than 0.
mcsim_fixed_port() {
	prev=
	for a in "$@"; do
		[ "$prev" = --port ] && [ "$a" != 0 ] && return 0
		prev=$a
	done
	return 1
}

# start_mcsim's one attempt; returns 1 when a port was another test's, or
# (MCSIM_BUSY=1) when a fixed port was busy.
start_mcsim_once() {
	name=$1
	shift
	: > "$W/$name.log"
	"$MCSIM" --log "$W/$name.log" "$@" > "$W/$name.port" 2> "$W/$name.err" &
	pid=$!
	MCSIM_PIDS="$MCSIM_PIDS $pid"
	eval "MCSIM_PID_$name=$pid"
	i=0
	MCSIM_BUSY=0
	while ! grep -q '^[0-9]' "$W/$name.port" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then
			if grep -q 'Address already in use' "$W/$name.err" && mcsim_fixed_port "$@"; then
				wait "$pid" 2>/dev/null
				MCSIM_BUSY=1
				return 1
			fi
			fail "mcsim $name did not start: $(cat "$W/$name.err")"
		fi
		i=$((i + 1))
		[ $i -gt $((TUI_WAIT * 20)) ] && fail "mcsim $name printed no port"
		sleep 0.05
	done
	want=1
	prev=
	for a in "$@"; do
		[ "$prev" = --servers ] && want=$a
		prev=$a
	done
	while [ "$(grep -c '^[0-9]' "$W/$name.port")" -lt "$want" ]; do
		kill -0 "$pid" 2>/dev/null || fail "mcsim $name stopped before printing $want ports"
		sleep 0.02
	done
	if ! claim_ports "$W/$name.port"; then
		stop_mcsim "$name"
		return 1
	fi
	PORT=$(head -n 1 "$W/$name.port")
	eval "PORT_$name=$PORT"
}

# Stops the mcsim called NAME and waits for it.
stop_mcsim() {
	eval "pid=\${MCSIM_PID_$1:-}"
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	eval "MCSIM_PID_$1="
}

# Writes a players file with one name a line.
players_file() {
	f="$W/players.txt"
	printf '%s\n' "$@" > "$f"
	echo "$f"
}

# Writes the config file from stdin (mode 0600) and sets CFG.
write_config() {
	CFG="$W/rconsole.conf"
	umask 077
	cat > "$CFG"
	chmod 600 "$CFG"
}

# The settings of a quiet console: no refresh, no health checks, no command
# tree, so only the test's own commands reach its servers.
QUIET_SETTINGS='refresh = 0;
health_refresh = 0;
command_tree = false;'

# Starts one mcsim per NAME, each on a port of its own, all with the same
# MCSIM_ARGS (split at blanks: "--players 2").
#   start_mcsims MCSIM_ARGS NAME...
start_mcsims() {
	mcsims_args=$1
	shift
	for mcsims_name in "$@"; do
		start_mcsim "$mcsims_name" --port 0 $mcsims_args
	done
}

# Writes the config of the servers NAME (each started with start_mcsim
# NAME), in order, after the top-level SETTINGS (lines of "name = value;");
# NAME:EXTRA puts EXTRA inside that server's { } after the password
# ('tags = [ "prod" ]; ').
#   servers_config SETTINGS NAME[:EXTRA]...
servers_config() {
	sc_settings=$1
	shift
	sc_text=$(
		printf '%s\nservers = (\n' "$sc_settings"
		sc_sep=
		for sc in "$@"; do
			sc_name=${sc%%:*}
			sc_extra=
			case $sc in *:*) sc_extra=${sc#*:} ;; esac
			eval "sc_port=\$PORT_$sc_name"
			printf '%s  { name = "%s"; host = "127.0.0.1"; port = %s; password = "secret"; %s}' \
			    "$sc_sep" "$sc_name" "$sc_port" "$sc_extra"
			sc_sep=',
'
		done
		printf '\n);\n'
	)
	write_config <<CONF
$sc_text
CONF
}

# Waits until each server NAME shows up in the server list.
wait_servers_up() {
	for wsu in "$@"; do
		wait_screen "│● $wsu "
	done
}

# Writes the config of one server, alpha (started with start_mcsim alpha):
# the top-level SETTINGS, then alpha, EXTRA (optional) inside its { } after
# the password ("timeout = 2; "), as servers_config writes them.
alpha_config() {
	servers_config "$1" "alpha:${2:-}"
}

# Writes the config of one quiet server, alpha; EXTRA as for alpha_config.
write_alpha_config() {
	alpha_config "$QUIET_SETTINGS" "${1:-}"
}

# Starts what most tests start with: mcsim alpha on a port of its own, the
# config of alpha alone, and the console on it; waits for its first frame.
#   start_alpha_tui [-p PLAYERS] [-m MCSIM_ARGS] [-c SETTINGS] [-e EXTRA]
#       [-f FIRST] [COLSxROWS] [ARG...]
# PLAYERS goes to mcsim's --players (a count or a players_file); MCSIM_ARGS
# are more of its arguments, split at blanks ("--stall-mid").  SETTINGS
# (default QUIET_SETTINGS) and EXTRA are alpha_config's.  The console gets
# --config and the ARGs, in a COLSxROWS pane (start_tui's default size; and
# TUI_ENV as for start_tui).  FIRST is what the first frame shows, an
# extended regular expression (default: alpha up in the server list).
start_alpha_tui() {
	alpha_players=
	alpha_mcsim=
	alpha_settings=$QUIET_SETTINGS
	alpha_extra=
	alpha_first='│● alpha '
	OPTIND=1
	while getopts p:m:c:e:f: opt; do
		case $opt in
		p) alpha_players=$OPTARG ;;
		m) alpha_mcsim=$OPTARG ;;
		c) alpha_settings=$OPTARG ;;
		e) alpha_extra=$OPTARG ;;
		f) alpha_first=$OPTARG ;;
		*) fail "start_alpha_tui: unknown option" ;;
		esac
	done
	shift $((OPTIND - 1))
	if [ -n "$alpha_players" ]; then
		start_mcsim alpha --port 0 --players "$alpha_players" $alpha_mcsim
	else
		start_mcsim alpha --port 0 $alpha_mcsim
	fi
	alpha_config "$alpha_settings" "$alpha_extra"
	alpha_size=
	case "${1:-}" in
	[0-9]*x[0-9]*) alpha_size=$1; shift ;;
	esac
	start_tui $alpha_size --config "$CFG" "$@"
	wait_screen "$alpha_first"
}

# Starts rconsole in a new tmux session of COLSxROWS (default 80x24) with
# the given arguments.  TUI_ENV, when set, is a list of NAME=VALUE settings
# for rconsole's environment (e.g. TUI_ENV='NO_COLOR=1 TERM=xterm-mono').
start_tui() {
	cols=80
	rows=24
	case "${1:-}" in
	*x*) cols=${1%x*}; rows=${1#*x}; shift ;;
	esac
	rm -f "$W/exit" "$W/pid" "$W/stty" "$W/after"
	args=
	for a in "$@"; do
		args="$args '$a'"
	done
	cmd="'$W/run.sh' '$W' '$RCONSOLE' $args"
	[ -n "${TUI_ENV:-}" ] && cmd="'$W/run.sh' '$W' env $TUI_ENV '$RCONSOLE' $args"
	if tmux -S "$SOCK" has-session 2>/dev/null; then
		# Again in the same pane (after the last console exited).
		resize "$cols" "$rows"
		tmux -S "$SOCK" respawn-pane -k -t 0 "$cmd" || fail "tmux respawn-pane"
	else
		tmux -u -S "$SOCK" -f "$W/tmux.conf" new-session -d -x "$cols" -y "$rows" "$cmd" ||
			fail "tmux did not start"
	fi
	wait_for 'test -s "$W/pid"' "rconsole to start"
	TUI_PID=$(cat "$W/pid")
}

# Prints the screen.
screen() {
	tmux -S "$SOCK" capture-pane -p -t 0 2>/dev/null
}

# Prints the screen with its attributes as escape sequences.
screen_sgr() {
	tmux -S "$SOCK" capture-pane -p -e -t 0 2>/dev/null
}

# Prints the SGR parameters used on the screen, one a line, sorted and
# unique ("1" bold, "4" underline, "7" reverse, "31" red...).
screen_sgr_params() {
	esc=$(printf '\033')
	screen_sgr | grep -Eo "$esc\\[[0-9;]*m" | sed "s/^$esc\\[//; s/m\$//" | tr ';' '\n' |
		grep . | sort -u
}

# Writes raw bytes straight to the pane's terminal, as a stray process
# sharing it would (the console does not see them coming).
tty_write() {
	printf "$1" > "$(tmux -S "$SOCK" display-message -p -t 0 '#{pane_tty}')"
}

# Sends keys (tmux send-keys syntax).
keys() {
	tmux -S "$SOCK" send-keys -t 0 "$@"
}

# Clicks the left button at COL ROW (1-based) as an SGR (1006) mouse
# report: a press, then its release.
click() {
	for click_end in M m; do
		keys -H $(printf '\033[<0;%s;%s%s' "$1" "$2" "$click_end" | od -An -tx1)
	done
}

# Turns the mouse wheel one notch at COL ROW: DIR up or down.
wheel() {
	wheel_b=64
	[ "$1" = down ] && wheel_b=65
	keys -H $(printf '\033[<%s;%s;%sM' "$wheel_b" "$2" "$3" | od -An -tx1)
}

# Types text literally.
type_text() {
	tmux -S "$SOCK" send-keys -t 0 -l "$1"
}

# Polls the shell condition $1 until it holds; fails naming $2 when $3
# seconds (default TUI_WAIT) pass first.
wait_for() {
	poll_until "$1" "${3:-$TUI_WAIT}" || fail "timed out after ${3:-$TUI_WAIT}s waiting for $2"
}

# Adds a server through :add: name $1, host[:port] $2, no tags, read-only
# answer $4 (default: none, Enter), RCON password $3, and Enter; the caller
# waits for the outcome.
add_server() {
	type_text ':add'
	keys Enter
	wait_screen 'new server name:'
	type_text "$1"
	keys Enter
	wait_screen 'host\[:port\]:'
	type_text "$2"
	keys Enter
	wait_screen 'tags'
	keys Enter
	wait_screen 'read-only'
	if [ -n "${4:-}" ]; then type_text "$4"; fi
	keys Enter
	wait_screen 'RCON password:'
	type_text "$3"
	keys Enter
}

# Prints how many times the console rang the bell (a key it did not take).
bells() {
	wc -l < "$W/bells" | tr -d ' '
}

# Answers the y/N question matching PAT (an extended regular expression;
# default: any question) with KEY (default y).  A y counts only once the
# question has been open a second (rconsole(1)): one sooner rings the bell
# and is not taken, so KEY is pressed again until the question is gone,
# each time only once the last press was heard (the bell, or the question
# gone), so no press is left over for the command line.
answer_yes() {
	PAT=${1:-'\? \[y/N\]'}
	wait_screen "$PAT"
	while screen | grep -Eq -- "$PAT"; do
		BELLS=$(bells)
		keys "${2:-y}"
		wait_for '[ "$(bells)" -gt "$BELLS" ] || ! screen | grep -Eq -- "$PAT"' \
		    "the console to take or refuse ${2:-y}"
	done
}

# Waits until the screen matches an extended regular expression.
wait_screen() {
	PAT=$1
	wait_for 'screen | grep -Eq -- "$PAT"' "screen to show /$1/" "${2:-$TUI_WAIT}"
}

# Waits until the screen no longer matches.
wait_screen_gone() {
	PAT=$1
	wait_for '! screen | grep -Eq -- "$PAT"' "screen to stop showing /$1/" "${2:-$TUI_WAIT}"
}

# Waits until mcsim NAME's log holds a line equal to CMD.
wait_log() {
	LOGF="$W/$1.log"
	LINE=$2
	wait_for 'grep -Fxq -- "$LINE" "$LOGF"' "'$2' in $1's log" "${3:-$TUI_WAIT}"
}

# Prints how many lines of NAME's log equal CMD.
log_count() {
	grep -Fxc -- "$2" "$W/$1.log"
}

# Waits for rconsole to exit and prints its status.
wait_exit() {
	wait_for 'test -s "$W/exit"' "rconsole to exit" "${1:-$TUI_WAIT}"
	cat "$W/exit"
}

# Asserts the terminal was restored: line discipline back to canonical with
# echo, and the alternate screen left.
assert_restored() {
	grep -Eq '(^| )icanon( |$)' "$W/stty" || fail "terminal left in raw mode: $(cat "$W/stty")"
	grep -Eq '(^| )echo( |$)' "$W/stty" || fail "terminal left without echo"
	alt=$(tmux -S "$SOCK" display-message -p -t 0 '#{alternate_on}')
	[ "$alt" = 0 ] || fail "alternate screen still on"
}

# After the console exited: pastes a line as a terminal would and asserts
# the program after it got the text alone — not wrapped in bracketed-paste
# markers, which only an application that asked for them may see.
after_paste() {
	printf 'after-the-console\n' > "$W/after-paste"
	tmux -S "$SOCK" load-buffer -b after "$W/after-paste"
	tmux -S "$SOCK" paste-buffer -p -b after -t 0
	wait_for 'test -s "$W/after"' "the line pasted after exiting"
	[ "$(cat "$W/after")" = after-the-console ] ||
		fail "bracketed paste left on: the shell read '$(od -c "$W/after" | head -n 2)'"
}

# Resizes the tmux window.
resize() {
	tmux -S "$SOCK" resize-window -t 0 -x "$1" -y "$2" || fail "resize to $1x$2"
}

# Presses Tab until the pane whose title matches has focus (its box is
# drawn with double lines: "╔ Title").
focus_to() {
	n=0
	while ! screen | grep -Eq -- "╔ $1"; do
		n=$((n + 1))
		[ $n -gt 5 ] && fail "no pane titled /$1/ took focus"
		before=$(screen)
		keys Tab
		BEFORE=$before
		wait_for '[ "$(screen)" != "$BEFORE" ]' "focus to move"
	done
}

# Asserts the bottom row is the status line (the screen is intact).
assert_status_bar() {
	screen | tail -n 1 | grep -Eq 'R[OW] ' || fail "status bar missing"
}
