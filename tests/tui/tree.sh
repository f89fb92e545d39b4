#!/bin/sh
# tree.sh: completion and hints from the server's own command tree (issue
# 13) — a plugin command and its literals (warp), vanilla literals at depth
# (time query ...), an online player for <targets> (kick), the usage hint;
# `help` is sent once per connection and never shown; the cache completes
# on a second start before the server has answered anything.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Steve Alex)
start_mcsim alpha --port 0 --players "$PL" --plugin-usage 'warp (list|set|delete) <name>'
alpha_config 'refresh = 1;'
CACHE="$XDG_CACHE_HOME/rconsole/alpha.tree"

start_tui --config "$CFG"
wait_screen '│ Steve '
wait_log alpha 'help'
wait_for 'test -s "$CACHE"' "the command tree cached in $CACHE"
[ "$(stat -c %a "$XDG_CACHE_HOME/rconsole")" = 700 ] || fail "cache directory not 0700"
[ "$(stat -c %a "$CACHE")" = 600 ] || fail "cache file not 0600"
grep -q '^/warp (list|set|delete) <name>$' "$CACHE" || fail "plugin usage not cached: $(head -c 300 "$CACHE")"

# A plugin command word, then its literal.
type_text 'war'
keys Tab
wait_screen 'alpha> warp  '
type_text 's'
keys Tab
wait_screen 'alpha> warp set  '
# The hint shows the argument that comes next, highlighted.
wait_screen 'warp set <name>'
keys C-u
wait_screen_gone 'warp set <name>'

# Vanilla literals at depth.
type_text 'time q'
keys Tab
wait_screen 'alpha> time query  '
wait_screen 'time query \(day\|daytime\|gametime\)'
keys Tab
wait_screen 'day  daytime  gametime'
keys C-u

# An online player where the tree has <targets>.
type_text 'kick St'
keys Tab
wait_screen 'alpha> kick Steve  '
keys C-u

# A word the tree does not have is named (in the error colour), and sent.
type_text 'time frobnicate '
wait_screen "time: no 'frobnicate' here"
# On the command line the word is drawn in its own (error) colour.
esc=$(printf '\033')
wait_for 'screen_sgr | tail -n 1 | grep -q "$esc\[[0-9;]*mfrobnicate"' "frobnicate in the error colour"
keys Enter
wait_log alpha 'time frobnicate'

# `help` went out once and was never shown.
[ "$(log_count alpha help)" = 1 ] || fail "help sent $(log_count alpha help) times"
screen | grep -q '> help' && fail "the background help was echoed"
screen | grep -q '/advancement' && fail "the help reply reached the log pane"

# :rehash reads it again, once more on the wire.
type_text ':rehash'
keys Enter
wait_screen 'command tree: [0-9]+ commands read'
[ "$(log_count alpha help)" = 2 ] || fail "after :rehash help sent $(log_count alpha help) times"
keys F10
[ "$(wait_exit)" = 0 ] || fail "rconsole did not exit 0"

# Second start: the server holds every reply (auth too) for 20 s, yet the
# cached tree completes at once.
stop_mcsim alpha
start_mcsim alpha2 --port "$PORT_alpha" --players "$PL" --delay 20000
start_tui --config "$CFG"
wait_screen 'alpha'
type_text 'war'
keys Tab
wait_screen 'alpha> warp  '
[ "$(log_count alpha2 help)" = 0 ] || fail "help reached the server before the completion"
keys C-u
keys F10
wait_exit > /dev/null
exit 0
