#!/bin/sh
# history-two.sh: two consoles open on the same server (two SSH sessions,
# one state directory) both keep their lines in its history file.  Each
# console read the file once and saved its own copy over it, so the second
# to save dropped every line the first had saved meanwhile (and the first
# dropped the second's on its next save): Up in a new console no longer
# found them.  A save now takes in what another console wrote first.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 1
write_alpha_config
H="$XDG_STATE_HOME/rconsole/history/alpha"
mkdir -p "${H%/*}"
chmod 700 "$XDG_STATE_HOME/rconsole" "${H%/*}"
printf 'say old line\n' > "$H"
chmod 600 "$H"

# Console A in the test's pane, console B on a tmux server of its own (a
# second session on the same server would take keys meant for -t 0).
SOCK2="$W/tmux2.sock"
trap 'rc=$?; tmux -S "$SOCK2" kill-server >/dev/null 2>&1; tui_cleanup; exit $rc' EXIT
start_tui --config "$CFG"
wait_screen '│● alpha '
tmux -u -S "$SOCK2" -f "$W/tmux.conf" new-session -d -s two -x 80 -y 24 \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' '$RCONSOLE' --config '$CFG'" || fail "second tmux session"
screen2() { tmux -S "$SOCK2" capture-pane -p -t two 2>/dev/null; }
wait_for 'screen2 | grep -q "│● alpha "' "console B to connect"
# Both have read the file (Up shows its line).
keys Up
wait_screen 'alpha> say old line'
keys C-u
tmux -S "$SOCK2" send-keys -t two Up
poll_until 'screen2 | grep -q "alpha> say old line"' "$TUI_WAIT" ||
	{ screen2 >&2; fail "console B did not read the history"; }
tmux -S "$SOCK2" send-keys -t two C-u

type_text 'say from a'
keys Enter
wait_log alpha 'say from a'
wait_for 'grep -qx "say from a" "$H"' "console A to save its line"
tmux -S "$SOCK2" send-keys -t two -l 'say from b'
tmux -S "$SOCK2" send-keys -t two Enter
wait_log alpha 'say from b'
wait_for 'grep -qx "say from b" "$H"' "console B to save its line"
grep -qx 'say from a' "$H" || fail "console B's save dropped console A's line: $(cat "$H")"
grep -qx 'say old line' "$H" || fail "the old line was dropped: $(cat "$H")"

# A saves again: B's line stays.
type_text 'say again a'
keys Enter
wait_for 'grep -qx "say again a" "$H"' "console A's second save"
grep -qx 'say from b' "$H" || fail "console A's save dropped console B's line: $(cat "$H")"
[ "$(grep -cx 'say from a' "$H")" = 1 ] || fail "a line saved twice: $(cat "$H")"

tmux -S "$SOCK2" send-keys -t two C-q
keys C-q
[ "$(wait_exit)" = 0 ] || fail "C-q did not exit 0"
grep -qx 'say from b' "$H" || fail "the last save dropped console B's line: $(cat "$H")"
grep -qx 'say again a' "$H" || fail "the last save dropped console A's line: $(cat "$H")"
exit 0
