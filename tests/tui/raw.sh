#!/bin/sh
# raw.sh: --raw never writes server bytes into a terminal by accident.  Into
# a tty (a tmux pane) it is refused with exit 2 and a one-line reason before
# anything is sent, and the pane's title and modes are untouched although the
# reply would set the title, switch to the alternate screen and hide the
# cursor; into a pipe it stays byte-exact (od/cmp); --raw=force writes into
# the terminal because the user asked.  Also: bidi and zero-width characters
# in -c replies and --players names reach stdout defused (od).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

printf 'Alice\nAl\342\200\213ice\nevil\342\200\256gpj.exe\n' > "$W/names"
start_mcsim raw --port 0 --players "$W/names"
printf 'secret\n' > "$W/pw"
chmod 600 "$W/pw"
# OSC 0 title "pwned", BEL, alternate screen on, cursor hidden, "X".
hostile='sim bytes 1b5d303b70776e6564071b5b3f31303439681b5b3f32356c58'

# Into the pane: refused, nothing sent, the terminal as it was.
start_tui -H 127.0.0.1 -P "$PORT_raw" --password-file "$W/pw" --raw -c "$hostile"
title=$(tmux -S "$SOCK" display-message -p -t 0 '#{pane_title}')
st=$(wait_exit)
[ "$st" = 2 ] || fail "--raw into a terminal: exit $st, not 2"
[ "$(wc -l < "$W/stderr")" = 1 ] || fail "not a one-line reason: $(cat "$W/stderr")"
grep -q -- "--raw writes bytes that a terminal would execute; pipe it or use --raw=force" \
	"$W/stderr" || fail "reason: $(cat "$W/stderr")"
[ "$(log_count raw "$hostile")" = 0 ] || fail "the command was sent"
now=$(tmux -S "$SOCK" display-message -p -t 0 '#{pane_title}')
[ "$now" = "$title" ] || fail "pane title changed to '$now'"
case "$now" in *pwned*) fail "title set by the server" ;; esac
[ "$(tmux -S "$SOCK" display-message -p -t 0 '#{alternate_on}')" = 0 ] ||
	fail "alternate screen switched on"
[ "$(tmux -S "$SOCK" display-message -p -t 0 '#{cursor_flag}')" = 1 ] || fail "cursor hidden"

# Into a pipe: byte for byte, the newline after it added.
"$RCONSOLE" -H 127.0.0.1 -P "$PORT_raw" --password-file "$W/pw" --raw -c "$hostile" \
	> "$W/raw.out" || fail "--raw into a pipe failed"
printf '\033]0;pwned\007\033[?1049h\033[?25lX\n' > "$W/raw.want"
cmp "$W/raw.out" "$W/raw.want" || fail "--raw not byte-exact: $(od -An -tx1 "$W/raw.out")"
[ "$(log_count raw "$hostile")" = 1 ] || fail "sent $(log_count raw "$hostile") times"

# Without --raw the same reply is defused (ESC shown as U+241B, BEL as U+2407).
"$RCONSOLE" -H 127.0.0.1 -P "$PORT_raw" --password-file "$W/pw" -c "$hostile" > "$W/plain.out" ||
	fail "plain -c failed"
od -An -tx1 "$W/plain.out" | grep -q '1b' && fail "an ESC byte in plain output"

# Bidi override, isolate and zero-width space in a reply: each U+FFFD (ef bf bd).
"$RCONSOLE" -H 127.0.0.1 -P "$PORT_raw" --password-file "$W/pw" \
	-c 'sim bytes 61e280ae62e281a663e2808b64' > "$W/bidi.out" || fail "-c bidi failed"
[ "$(od -An -tx1 "$W/bidi.out" | tr -d ' \n')" = "61efbfbd62efbfbd63efbfbd640a" ] ||
	fail "-c bidi output: $(od -An -tx1 "$W/bidi.out")"
# The same in player names (--players).
"$RCONSOLE" -H 127.0.0.1 -P "$PORT_raw" --password-file "$W/pw" --players > "$W/names.out" ||
	fail "--players failed"
od -An -tx1 "$W/names.out" | tr -d ' \n' > "$W/names.hex"
grep -q '416cefbfbd696365' "$W/names.hex" || fail "Al<ZWSP>ice not defused: $(cat "$W/names.hex")"
grep -q '6576696cefbfbd67706a2e657865' "$W/names.hex" || fail "RLO not defused: $(cat "$W/names.hex")"
grep -Eq 'e2808b|e280ae' "$W/names.hex" && fail "raw bidi or zero-width in --players output"

# --raw=force: the user asked, the bytes reach the terminal (the title changes).
start_tui -H 127.0.0.1 -P "$PORT_raw" --password-file "$W/pw" --raw=force -c "$hostile"
st=$(wait_exit)
[ "$st" = 0 ] || fail "--raw=force: exit $st"
wait_for '[ "$(tmux -S "$SOCK" display-message -p -t 0 "#{pane_title}")" = pwned ]' \
	"--raw=force to reach the terminal"
exit 0
