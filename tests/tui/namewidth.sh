#!/bin/sh
# namewidth.sh: the server list's name column is as wide as the widest name,
# kept as servers are added (issue 11: the widest name is measured once per
# new server, not every pass).  Names never change and servers are never
# removed in the console, so :add is how the widest name changes: a wider
# name widens the column for every row at once (the counts stay aligned), a
# narrower one leaves it as it is, and one wider than the list has room for
# is cut with an ellipsis while the counts still line up.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

# No health column (--health none): the name, the count and the bars only.
start_mcsim alpha --port 0 --players 1 --health none
start_mcsim beta --port 0 --players 2 --health none
write_config <<CONF
refresh = 1;
servers = ( { name = "ab"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; },
            { name = "cd"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; } );
CONF

# Prints where the player count of the row named $1 (a regular expression
# for its name as shown) ends, in columns from the start of the name: the
# name's width and the spaces up to the count's digit.
count_at() {
	screen | sed -n "s/^│[^ ]* \($1\)\( *\)[0-9].*/\1\2/p" | head -n 1 |
		python3 -c 'import sys; print(len(sys.stdin.buffer.read().decode().rstrip("\n")) or -1)'
}

# Waits until the count of row $1 ends at column $2 (count_at).
wait_count_at() {
	ROW=$1
	COL=$2
	poll_until '[ "$(count_at "$ROW")" = "$COL" ]' "$TUI_WAIT" ||
		fail "the count of '$ROW' ends at column $(count_at "$ROW"), not $COL"
}

start_tui 100x14 --config "$CFG"
wait_screen '│● ab '
wait_screen '│● cd '
# Short names: the column is the minimum of 4 and the bars take their 8.
wait_count_at ab 10
wait_count_at cd 10

# A wider name widens the column: exactly that name, one space and the
# three-column count ("  2"), on every row.
add_server abcdefghij "127.0.0.1:$PORT_beta" secret
wait_screen "added abcdefghij"
wait_screen '│● abcdefghij   2 '
wait_count_at abcdefghij 13
wait_count_at ab 13
wait_count_at cd 13

# A narrower name leaves the widest one's column as it was.
add_server x "127.0.0.1:$PORT_beta" secret
wait_screen "added x"
wait_screen '│● x  '
wait_count_at x 13
wait_count_at abcdefghij 13
wait_count_at ab 13

# Wider than the list leaves room for: cut with an ellipsis, every count
# still in one column, further right than before.
add_server abcdefghijklmnopqrstuvwxyz "127.0.0.1:$PORT_beta" secret
wait_screen "added abcdefghijklmnopqrstuvwxyz"
wait_screen '│● abcdefghijklmno… '
wait_count_at 'abcdefghijklmno…' 19
wait_count_at abcdefghij 19
wait_count_at x 19
wait_count_at ab 19
screen | grep -q '^│[^ ]* abcdefghijklmnop' && fail "the long name was not cut to the list's room"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st after F10"
exit 0
