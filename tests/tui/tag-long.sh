#!/bin/sh
# tag-long.sh: :tag with a tag of 64 characters (the longest a profile may
# have) names that tag, not its first 63 characters, in the y/N question
# and in what is sent.  Before, the word was
# cut to 63 characters: the command went to the server tagged with the
# shorter tag, and the one tagged with the long tag got nothing.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

T63=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
T64=${T63}b
start_mcsims '--players 1' alpha beta
servers_config "$QUIET_SETTINGS" "alpha:tags = [ \"$T64\" ]; " "beta:tags = [ \"$T63\" ]; "
[ ${#T64} = 64 ] || fail "the long tag is ${#T64} characters"

start_tui 200x24 --config "$CFG"
wait_servers_up alpha beta
type_text ":tag $T64 sim echo long"
keys Enter
answer_yes 'send "sim echo long" to 1 server: alpha\? \[y/N\]'
wait_log alpha 'sim echo long'
type_text ":tag $T63 sim echo short"
keys Enter
answer_yes 'send "sim echo short" to 1 server: beta\? \[y/N\]'
wait_log beta 'sim echo short'
grep -q 'long' "$W/beta.log" && fail "beta (tagged $T63) got the command for $T64"
grep -q 'short' "$W/alpha.log" && fail "alpha (tagged $T64) got the command for $T63"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
