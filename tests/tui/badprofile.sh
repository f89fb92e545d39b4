#!/bin/sh
# badprofile.sh: a profile whose password cannot be read does not keep the
# console from opening — the good server connects, the bad one is listed
# failed ("cfg error" in the list, "config error" and the reason in its pane
# and status bar), never reaches its server (no login attempt), :all skips
# it, and once its password file exists `:connect bad` connects it.  With nothing but bad profiles the console
# still refuses to start (exit 2, the reason on stderr).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim good --port 0 --players 2
start_mcsim bad --port 0 --players 2
PASS="$W/bad.pass"
write_config <<CONF
refresh = 1;
servers = (
  { name = "good"; host = "127.0.0.1"; port = $PORT_good; password = "secret"; },
  { name = "bad"; host = "127.0.0.1"; port = $PORT_bad; password_file = "$PASS"; }
);
CONF

# Only the bad profile: nothing to show, so exit 2 with the reason.
start_tui --config "$CFG" bad
st=$(wait_exit)
[ "$st" = 2 ] || fail "only a bad profile: exit status $st, expected 2"
grep -q "bad: password file $PASS: No such file or directory" "$W/stderr" ||
	fail "no reason on stderr: $(cat "$W/stderr")"

# Wide enough for the whole reason on one line of the log pane.
start_tui 200x30 --config "$CFG"
wait_screen '│● good '
wait_screen '│✖ bad +cfg error'
keys M-2
wait_screen '┐┌ bad '
wait_screen 'config error: password file'
wait_screen 'No such file or directory'
screen | tail -n 1 | grep -q 'config error' || fail "status bar does not say config error"

# A typed command is refused in its pane; :all skips it.
type_text 'say nope'
keys Enter
wait_screen 'not sent: bad has a configuration error'
type_text ':all say everyone'
keys Enter
answer_yes 'send "say everyone" to 1 server: good\?'
wait_screen ':all: sent to 1 of 2 servers'
wait_log good 'say everyone'
wait_log good 'list'
[ -s "$W/bad.log" ] && fail "the bad profile reached its server: $(cat "$W/bad.log")"

# Still missing: :connect says so again, offers the no-echo password
# prompt, and sends nothing when it is cancelled.
type_text ':connect bad'
keys Enter
wait_for '[ "$(screen | grep -c "config error: password file")" -ge 2 ]' "a second config error line"
wait_screen 'RCON password for bad:'
keys Escape
wait_screen ':connect cancelled'
[ -s "$W/bad.log" ] && fail "a login was attempted without a password: $(cat "$W/bad.log")"

# Fixed: :connect connects it and commands reach it once.
printf 'secret\n' > "$PASS"
type_text ':connect bad'
keys Enter
wait_screen '│● bad '
type_text 'say fixed'
keys Enter
wait_log bad 'say fixed'
[ "$(log_count bad 'say fixed')" = 1 ] || fail "'say fixed' reached the server more than once"
[ "$(log_count bad '#auth-failed')" = 0 ] || fail "a login failed on the bad server"
[ "$(log_count good 'say fixed')" = 0 ] || fail "'say fixed' reached the wrong server"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# An unset password_env: the hint is one to act on (restart with it set,
# or type it), and :connect's no-echo prompt connects for this session.
start_mcsim envp --port 0 --players 1
write_config <<CONF
refresh = 1;
servers = (
  { name = "good"; host = "127.0.0.1"; port = $PORT_good; password = "secret"; },
  { name = "envp"; host = "127.0.0.1"; port = $PORT_envp; password_env = "RC_TEST_UNSET_PW"; }
);
CONF
cp "$CFG" "$W/envp.conf"
start_tui 200x30 --config "$CFG"
wait_screen '│✖ envp +cfg error'
keys M-2
# One piece of advice, the console's: not also the command line's (the
# line wraps before "type the password").
wait_screen 'config error: environment variable RC_TEST_UNSET_PW is not set — restart rconsole with RC_TEST_UNSET_PW set, or use :connect envp to'
wait_screen '^│[^│]*││ +type the password'
screen | grep -q 'run rconsole again' && fail "the command line's advice is shown too"
type_text ':connect'
keys Enter
wait_screen 'RCON password for envp:'
wait_screen 'used for this session only and not saved'
type_text 'secret'
screen | grep -q 'secret' && fail "the typed password is shown"
keys Enter
wait_screen '│● envp '
type_text 'say typed'
keys Enter
wait_log envp 'say typed'
cmp -s "$CFG" "$W/envp.conf" || fail "the configuration changed: $(cat "$CFG")"
ls "$W" | grep -q '^envp.pass$' && fail "the typed password was saved to a file"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
