#!/bin/sh
# readonly.sh: with --read-only nothing outside the allowlist reaches a
# server by any path — the command line, :all, :tag, the player panel's
# keys, pasted text with newlines — each refusal is shown, RO is on the
# screen, and allowed commands still work.  Then a profile's read_only
# alone does the same for that server.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PL=$(players_file Alice Bob Carol)
start_mcsim alpha --port 0 --players "$PL"
start_mcsim beta --port 0 --players "$PL"
write_config <<CONF
refresh = 1;
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; tags = [ "prod" ]; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "secret"; tags = [ "prod" ];
    read_only = true; }
);
CONF

# Every line of a log must be in the default allowlist (DESIGN.md section 4).
ALLOW='^(list|list uuids|seed|banlist|banlist ips|banlist players|whitelist list|time query (daytime|gametime|day)|difficulty|tps|mspt|help|help [^ ]+)$'
assert_clean() {
	for s in "$@"; do
		bad=$(grep -Ev "$ALLOW" "$W/$s.log")
		[ -z "$bad" ] || fail "outside the allowlist reached $s: $bad"
	done
}

start_tui --read-only --config "$CFG"
wait_screen '│● alpha +3 .* RO'
wait_screen '│ Alice '
screen | tail -n 1 | grep -q ' RO ' || fail "no RO in the status bar"

# The command line: a refusal line, nothing sent.
type_text 'op Mallory'
keys Enter
wait_screen '> op Mallory'
wait_screen 'read-only'
type_text 'stop'
keys Enter
wait_screen '> stop'

# :all and :tag: refused on every server.
type_text ':all say broadcast'
keys Enter
wait_screen ':all: no server accepted'
type_text ':tag prod whitelist add Eve'
keys Enter
wait_screen ':tag: no server accepted'

# The player panel: no action menu, whatever key is pressed there.
focus_to Players
keys Enter
wait_screen 'read-only: player actions are disabled'
for k in k b o d y Enter; do
	keys "$k"
done
wait_screen_gone 'k  kick' 2

# Pasted text waits on the command line; the typed Enter runs each line
# alone, each refused alone; lines are never joined.
focus_to alpha
keys Escape
wait_screen '┌ alpha'
printf 'op Eve\nlist\nsay pasted\nkick Alice\nuuids\nban Bob' > "$W/paste.txt"
tmux -S "$SOCK" load-buffer -b ro "$W/paste.txt"
tmux -S "$SOCK" paste-buffer -b ro -t 0
wait_screen '6 lines pasted'
keys Enter
wait_screen '> uuids'
wait_screen '> ban Bob'
# An allowed command after all that: once it is logged, everything before it was handled.
type_text 'tps'
keys Enter
wait_log alpha 'tps'
wait_log alpha 'list'
assert_clean alpha beta
grep -q 'list uuids' "$W/alpha.log" && fail "pasted lines were joined"

# The same paste bracketed (the terminal marks it), this time with the
# player panel focused: still one refused line at a time, nothing else.
focus_to Players
printf 'ban Bob\nseed\nwhitelist add Eve\ndifficulty' > "$W/paste2.txt"
tmux -S "$SOCK" load-buffer -b ro2 "$W/paste2.txt"
tmux -S "$SOCK" paste-buffer -p -b ro2 -t 0
wait_screen '4 lines pasted'
screen | grep -q '> whitelist add Eve' && fail "a pasted line ran before Enter"
keys Enter
wait_screen '> whitelist add Eve'
wait_log alpha 'seed'
wait_log alpha 'difficulty'
assert_clean alpha beta

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# Without --read-only: beta is read-only by its profile, alpha is not.
: > "$W/alpha.log"
: > "$W/beta.log"
start_tui --config "$CFG"
wait_screen '│● beta +3 .* RO'
screen | grep -q '│● alpha +3 [^│]* RO' && fail "alpha shown read-only"
type_text ':all op Trent'
keys Enter
answer_yes 'send "op Trent" to 1 server: alpha\?'
wait_log alpha 'op Trent'
keys M-2
wait_screen '┐┌ beta '
screen | tail -n 1 | grep -q ' RO ' || fail "no RO in the status bar for beta"
type_text 'deop Trent'
keys Enter
wait_screen '> deop Trent'
type_text 'seed'
keys Enter
wait_log beta 'seed'
assert_clean beta
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
