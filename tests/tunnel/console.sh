#!/bin/sh
# console.sh: the console through `ssh =` against a real sshd.
#  - it connects and answers; the TCP connection to mcsim is sshd's, not
#    rconsole's (ss), so nothing went direct;
#  - a profile with a key sshd refuses shows ssh's "Permission denied",
#    stays "auth failed" and is not retried (one attempt in sshd's log);
#  - sshd killed with a command in flight: "outcome unknown", then the
#    reconnect countdown, as a dropped TCP connection; sshd back on its
#    port: connected again by itself, commands work;
#  - afterwards no zombie child, one ssh child per tunneled server, and
#    as many descriptors as before.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
. "${TOP_SRCDIR:-.}/tests/tunnel/sshd.sh"
tui_setup
sshd_setup
sshd_start

# Refresh is off, so nothing but typed commands reach mcsim; it answers
# none of them, so a command stays in flight.
start_mcsim alpha --port 0 --hang-after 0
ssh_options_for "$SSH_DIR/wrong"
WRONG_OPTS=$SSH_OPTS
ssh_options_for "$SSH_DIR/id"
write_config <<CONF
refresh = 0;
health_refresh = 0;   # alpha answers nothing: no health probe may go first
command_tree = false; # nor a background help
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $SSH_OPTS ]; },
  { name = "bad"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $WRONG_OPTS ]; }
);
CONF

start_tui 200x30 --config "$CFG"
wait_screen '│● alpha '
PID=$(cat "$W/pid")

# The TCP connection to mcsim's port belongs to sshd, not to rconsole.
wait_for 'ss -tnpH state established "( dport = :$PORT_alpha )" | grep -q sshd' \
	"sshd's connection to mcsim"
ss -tnpH state established "( dport = :$PORT_alpha )" | grep -q '"rconsole"' &&
	fail "rconsole is connected to mcsim directly"
ls -l /proc/$PID/fd | grep -q socket || fail "no socket in rconsole"

# The refused key: ssh's message in its log, auth failed, not retried.
wait_screen '│✖ bad +auth failed'
keys M-a
wait_screen '┐┌ bad '
wait_screen 'authentication failed: ssh: .*Permission denied'
sshd_wait_log 'Failed publickey'
tries=$(sshd_count 'Failed publickey')
keys C-p
wait_screen '┐┌ alpha '

# Children: one ssh per tunneled server that is up; descriptors now.
kids() { children_of "$PID" | wc -l; }
wait_for '[ "$(kids)" = 1 ]' "one ssh child (have $(children_of "$PID"))"
FDS=$(ls /proc/$PID/fd | wc -l)

# A command in flight when sshd dies: outcome unknown, then reconnecting.
type_text 'say in flight'
keys Enter
wait_log alpha 'say in flight'
sshd_stop
wait_screen "outcome unknown: connection lost after 'say in flight' was sent"
wait_screen 'reconnecting in [0-9]+ s'
wait_screen '│. alpha +retry [0-9]+s'
# Its ssh child is reaped: no zombie, whatever the retries do meanwhile.
wait_for '[ -z "$(zombies_of "$PID")" ]' "no zombie children of rconsole"

# sshd back on the same port: connected again by itself, and working.
sshd_start
wait_screen '│● alpha ' 70
type_text 'say again'
keys Enter
wait_log alpha 'say again'
[ "$(log_count alpha 'say in flight')" = 1 ] || fail "the lost command was written again"

# No zombie, one ssh child again, no descriptor leaked.
wait_for '[ -z "$(zombies_of "$PID")" ]' "no zombie children of rconsole"
wait_for '[ "$(kids)" = 1 ]' "one ssh child (have $(children_of "$PID"))"
wait_for '[ "$(ls /proc/$PID/fd | wc -l)" = "$FDS" ]' "$FDS descriptors (have $(ls /proc/$PID/fd | wc -l))"
# The refused key was never tried again.
[ "$(sshd_count 'Failed publickey')" = "$tries" ] || fail "bad was retried"
screen | grep -Eq '│✖ bad +auth failed' || fail "bad left auth failed"

keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
