#!/bin/sh
# cli.sh: the one-shot command line through tunnels, against a real sshd.
#  - ssh = ... answers `list`, and sshd's log shows the stdio forwarding to
#    mcsim's port (the bytes went through sshd);
#  - a profile whose port is closed answers through a proxy_command that
#    runs ssh -W to the real port (and fails without it: nothing direct);
#  - proxy_command = "socat - TCP:127.0.0.1:%p" answers;
#  - a key sshd does not accept ends with ssh's "Permission denied", exit
#    4, one attempt in sshd's log; a wrong host key says so, exit 4;
#  - two servers with ControlMaster options share one SSH login;
#  - a closed port on the far side is ssh's "Connection refused", exit 3;
#  - sshd killed while a command is in flight: "outcome unknown", exit 5,
#    as a dropped TCP connection.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
. "${TOP_SRCDIR:-.}/tests/tunnel/sshd.sh"
tui_setup
sshd_setup
sshd_start

start_mcsim alpha --port 0
start_mcsim beta --port 0 --hang-after 0
# A port nobody listens on (mcsim's, once it is gone).
start_mcsim gone --port 0
CLOSED=$PORT_gone
stop_mcsim gone

ssh_options_for "$SSH_DIR/wrong"
WRONG_OPTS=$SSH_OPTS
printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1-2 "$SSH_DIR/wrong.pub")" \
	> "$SSH_DIR/bad_known_hosts"
ssh_options_for "$SSH_DIR/id" "$SSH_DIR/bad_known_hosts"
BADHOST_OPTS=$SSH_OPTS
ssh_options_for "$SSH_DIR/id"

CM_PATH="$SSH_DIR/cm-%r@%h:%p"
CM_OPTS='"-o", "ControlMaster=auto", "-o", "ControlPath='"$CM_PATH"'", "-o", "ControlPersist=60"'
# The ControlPersist master outlives the runs: end it on every exit path.
trap 'rc=$?; ssh -o ControlPath="$CM_PATH" -p "$SSH_PORT" -O exit "$SSH_DEST" 2>/dev/null;
	sshd_stop; tui_cleanup; exit $rc' EXIT

write_config <<CONF
servers = (
  { name = "viassh"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $SSH_OPTS ]; },
  { name = "closed"; host = "127.0.0.1"; port = $CLOSED; password = "secret"; },
  { name = "viaproxy"; host = "127.0.0.1"; port = $CLOSED; password = "secret";
    proxy_command = "ssh -W 127.0.0.1:$PORT_alpha -o BatchMode=yes $SSH_ARGS $SSH_DEST"; },
  { name = "socat"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    proxy_command = "socat - TCP:%h:%p"; },
  { name = "wrongkey"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $WRONG_OPTS ]; },
  { name = "badhost"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $BADHOST_OPTS, "-o", "StrictHostKeyChecking=yes" ]; },
  { name = "farclosed"; host = "127.0.0.1"; port = $CLOSED; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $SSH_OPTS ]; },
  { name = "cm1"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $SSH_OPTS, $CM_OPTS ]; },
  { name = "cm2"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $SSH_OPTS, $CM_OPTS ]; },
  { name = "hang"; host = "127.0.0.1"; port = $PORT_beta; password = "secret";
    ssh = "$SSH_DEST"; ssh_options = [ $SSH_OPTS ]; }
);
CONF

# Runs rconsole with the arguments; sets OUT, ERR and ST.
run() {
	"$RCONSOLE" --config "$CFG" "$@" > "$W/out" 2> "$W/err"
	ST=$?
	OUT=$(cat "$W/out")
	ERR=$(cat "$W/err")
}

# ssh = ...: the reply, the command in mcsim's log, the forwarding in sshd's.
run viassh -c list
[ "$ST" = 0 ] || fail "viassh: exit $ST: $ERR"
echo "$OUT" | grep -q 'players online' || fail "viassh: no list reply: $OUT"
wait_log alpha list
sshd_wait_log "direct_tcpip: .*target 127.0.0.1 port ${PORT_alpha}[^0-9]*$"
[ "$(sshd_count "direct_tcpip: .*target 127.0.0.1 port ${PORT_alpha}[^0-9]*$")" = 1 ] ||
	fail "sshd did not forward to mcsim's port once: $(grep direct_tcpip "$W/sshd.log")"

# The closed port is refused directly ...
run closed -c seed
[ "$ST" = 3 ] || fail "closed: exit $ST (want 3, could not connect): $ERR"
[ "$(log_count alpha seed)" = 0 ] || fail "seed reached mcsim directly"
# ... and the same profile answers through a proxy_command running ssh -W.
run viaproxy -c seed
[ "$ST" = 0 ] || fail "viaproxy: exit $ST: $ERR"
echo "$OUT" | grep -q 'Seed' || fail "viaproxy: no seed reply: $OUT"
[ "$(log_count alpha seed)" = 1 ] || fail "seed not in mcsim's log once"

# A plain socat as the proxy command, with %h and %p.
run socat -c 'say via socat'
[ "$ST" = 0 ] || fail "socat: exit $ST: $ERR"
wait_log alpha 'say via socat'

# A key sshd refuses: ssh's own message, authentication failed, one try.
tries=$(sshd_count 'Failed publickey')
run wrongkey -c list
[ "$ST" = 4 ] || fail "wrongkey: exit $ST (want 4): $ERR"
sshd_wait_log "Connection closed by authenticating user .* port [0-9]+ \\[preauth\\]"
echo "$ERR" | grep -q 'ssh: .*Permission denied (publickey)' ||
	fail "wrongkey: no ssh message: $ERR"
[ "$(sshd_count 'Failed publickey')" = $((tries + 1)) ] || fail "wrongkey: not exactly one attempt"

# A host key that does not match known_hosts.
run badhost -c list
[ "$ST" = 4 ] || fail "badhost: exit $ST (want 4): $ERR"
echo "$ERR" | grep -q 'Host key verification failed' || fail "badhost: $ERR"

# The far side refuses the port: could not connect, with ssh's words.
run farclosed -c list
[ "$ST" = 3 ] || fail "farclosed: exit $ST (want 3): $ERR"
echo "$ERR" | grep -q 'ssh: .*Connection refused' || fail "farclosed: $ERR"

# ControlMaster: two servers on one machine share one SSH login.
logins=$(sshd_count 'Accepted publickey')
FWD_RE="direct_tcpip: .*target 127.0.0.1 port ${PORT_alpha}[^0-9]*$"
fwds=$(sshd_count "$FWD_RE")
run cm1 -c 'say cm one'
[ "$ST" = 0 ] || fail "cm1: exit $ST: $ERR"
run cm2 -c 'say cm two'
[ "$ST" = 0 ] || fail "cm2: exit $ST: $ERR"
wait_log alpha 'say cm two'
# Both forwardings logged: sshd's log is up to date for these sessions.
wait_for '[ "$(sshd_count "$FWD_RE")" = $((fwds + 2)) ]' "two more forwardings in sshd's log"
[ "$(sshd_count 'Accepted publickey')" = $((logins + 1)) ] ||
	fail "ControlMaster: $(($(sshd_count 'Accepted publickey') - logins)) logins for two servers"
ssh -o ControlPath="$CM_PATH" -p "$SSH_PORT" -O exit "$SSH_DEST" 2>/dev/null

# sshd dies with a command in flight: outcome unknown, exactly as over TCP.
"$RCONSOLE" --config "$CFG" hang -c 'say in flight' > "$W/out" 2> "$W/err" &
cli=$!
wait_log beta 'say in flight'
sshd_stop
wait_for '! kill -0 $cli 2>/dev/null' "the one-shot run to end"
wait "$cli"
ST=$?
ERR=$(cat "$W/err")
# Exit 5 with "outcome unknown", as a dropped TCP connection (test-cli-faults).
[ "$ST" = 5 ] || fail "hang: exit $ST (want 5, connection lost): $ERR"
echo "$ERR" | grep -q "outcome unknown: connection lost after 'say in flight' was sent" ||
	fail "hang: $ERR"
[ "$(log_count beta 'say in flight')" = 1 ] || fail "hang: command written more than once"
exit 0
