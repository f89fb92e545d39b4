#!/bin/sh
# audit.sh: the audit log (issue 14 §3).  A console session (typed command,
# :all, a player action, a read-only refusal, refreshes running) and a
# one-shot run leave each command once in $XDG_STATE_HOME/rconsole/log/
# <server>.log with time, user, origin, command, outcome and reply; files
# are 0600 in 0700 directories; the password is nowhere; refreshes are not
# logged; audit = false writes nothing; audit_max_kb rotates keeping one .1.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

PW=s3cretAuditPW
PL=$(players_file Alice Bob Carol)
start_mcsim alpha --port 0 --players "$PL" --password "$PW"
start_mcsim beta --port 0 --players "$PL" --password "$PW"
start_mcsim hang --port 0 --password "$PW" --hang-after 2
start_mcsim drop --port 0 --password "$PW" --drop-after 1
write_config <<CONF
refresh = 1;
health_refresh = 0;   # hang answers two commands: no health probe may take one
command_tree = false; # nor a background help
servers = (
  { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "$PW"; tags = [ "prod" ]; },
  { name = "beta"; host = "127.0.0.1"; port = $PORT_beta; password = "$PW"; tags = [ "prod" ];
    read_only = true; },
  { name = "quiet"; host = "127.0.0.1"; port = $PORT_alpha; password = "$PW"; audit = false; },
  { name = "small"; host = "127.0.0.1"; port = $PORT_alpha; password = "$PW"; audit_max_kb = 1; },
  { name = "hang"; host = "127.0.0.1"; port = $PORT_hang; password = "$PW"; refresh = 0; }
);
CONF
LOGD="$XDG_STATE_HOME/rconsole/log"
USER_NAME=$(id -un)

start_tui --config "$CFG"
wait_screen '│ Carol '
type_text 'say hello audit'
keys Enter
wait_log alpha 'say hello audit'
type_text ':all say to everyone'
keys Enter
answer_yes 'send "say to everyone" to 4 servers'
wait_log alpha 'say to everyone'
wait_screen '\[beta\] refused \(read-only\)'
# A player action: kick Bob, confirmed.
focus_to Players
keys Up Up Down
keys Enter
wait_screen 'k  kick'
keys k
wait_screen 'kick Bob reason'
keys Enter
answer_yes 'alpha: kick Bob\? \[y/N\]'
wait_log alpha 'kick Bob'
# On beta (read-only) a refused command.  (beta also refused the :all.)
keys M-2
wait_screen '╔ beta|beta .*RO'
type_text 'op Mallory'
keys Enter
wait_screen 'read-only'
# On hang (answers two commands, the :all and one more, then nothing): one
# answered, one in flight
# and one queued when the user disconnects: outcome unknown, not sent.
keys M-5
wait_screen '[0-9] connected'
type_text 'say answered'
keys Enter
wait_log hang 'say answered'
type_text 'say in flight'
keys Enter
wait_log hang 'say in flight'
type_text 'say queued'
keys Enter
type_text ':disconnect'
keys Enter
wait_screen 'outcome unknown'
# Let a few refreshes run, then quit.
wait_for '[ "$(grep -c "^list$" "$W/alpha.log")" -ge 3 ]' "three refreshes of alpha"
keys F10
[ "$(wait_exit)" = 0 ] || fail "console exit status $(cat "$W/exit")"

# A one-shot run on alpha.
"$RCONSOLE" --config "$CFG" alpha -c 'time query day' > "$W/os.out" 2> "$W/os.err" ||
	fail "one-shot failed: $(cat "$W/os.err")"
wait_log alpha 'time query day'
# A one-shot read-only refusal, and a connection dropped after a command.
"$RCONSOLE" --config "$CFG" beta -c 'op Eve' > /dev/null 2>&1 && fail "op Eve was not refused"
RCON_PASSWORD=$PW "$RCONSOLE" -H "127.0.0.1:$PORT_drop" -c 'say first' -c 'say second' \
	> /dev/null 2>&1 && fail "the dropped connection did not fail"
wait_log drop 'say second'

A="$LOGD/alpha.log"
B="$LOGD/beta.log"
[ -f "$A" ] || fail "no $A (log dir: $(ls -la "$LOGD" 2>&1))"
[ -f "$B" ] || fail "no $B"
TIME='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
# Each command once, with its fields.
one() {
	n=$(grep -Ec -- "$2" "$1")
	[ "$n" = 1 ] || fail "expected one line /$2/ in $1, got $n: $(cat "$1")"
}
one "$A" "${TIME}user=$USER_NAME server=alpha origin=console outcome=answered bytes=[0-9]+ cmd=\"say hello audit\""
one "$A" "origin=broadcast outcome=answered bytes=[0-9]+ cmd=\"say to everyone\""
one "$A" "origin=action outcome=answered bytes=[0-9]+ cmd=\"kick Bob\" reply=\"Kicked Bob"
one "$A" "origin=oneshot outcome=answered bytes=[0-9]+ cmd=\"time query day\" reply=\"The time is"
one "$B" "${TIME}user=$USER_NAME server=beta origin=broadcast outcome=refused cmd=\"say to everyone\""
one "$B" "origin=console outcome=refused cmd=\"op Mallory\" reason="
one "$B" "origin=oneshot outcome=refused cmd=\"op Eve\" reason="
H="$LOGD/hang.log"
one "$H" "origin=console outcome=answered bytes=[0-9]+ cmd=\"say answered\""
one "$H" "origin=console outcome=\"outcome unknown\" cmd=\"say in flight\" reason="
one "$H" "origin=console outcome=\"not sent\" cmd=\"say queued\" reason="
D="$LOGD/127.0.0.1%3A$PORT_drop.log"
one "$D" "server=127.0.0.1:$PORT_drop origin=oneshot outcome=answered bytes=[0-9]+ cmd=\"say first\""
one "$D" "origin=oneshot outcome=\"outcome unknown\" cmd=\"say second\" reason="
[ "$(wc -l < "$A")" = 4 ] || fail "alpha's log should hold 4 records: $(cat "$A")"
[ "$(wc -l < "$B")" = 3 ] || fail "beta's log should hold 3 records: $(cat "$B")"
[ "$(wc -l < "$H")" = 4 ] || fail "hang's log should hold 4 records (with the :all): $(cat "$H")"
# Refreshes are not logged.
grep -q 'cmd=list' "$A" "$B" && fail "a refresh reached the audit log"
# Modes.
[ "$(stat -c %a "$A")" = 600 ] || fail "mode of $A is $(stat -c %a "$A")"
[ "$(stat -c %a "$B")" = 600 ] || fail "mode of $B is $(stat -c %a "$B")"
[ "$(stat -c %a "$LOGD")" = 700 ] || fail "mode of $LOGD is $(stat -c %a "$LOGD")"
[ "$(stat -c %a "$XDG_STATE_HOME/rconsole")" = 700 ] || fail "state dir mode"
# Never the password.
grep -rq -- "$PW" "$XDG_STATE_HOME" && fail "the password is in the state directory"

# audit = false: nothing written.
"$RCONSOLE" --config "$CFG" quiet -c 'say not audited' > /dev/null 2>&1 || fail "quiet failed"
wait_log alpha 'say not audited'
[ -e "$LOGD/quiet.log" ] && fail "audit = false wrote $LOGD/quiet.log"
grep -rq 'not audited' "$LOGD" && fail "audit = false wrote a record"

# Global audit = false with an ad-hoc server: nothing either.
CFG2="$W/off.conf"
printf 'audit = false;\n' > "$CFG2"
chmod 600 "$CFG2"
RCON_PASSWORD=$PW "$RCONSOLE" --config "$CFG2" -H "127.0.0.1:$PORT_alpha" -c 'say adhoc off' \
	> /dev/null 2>&1 || fail "ad-hoc run failed"
[ -e "$LOGD/127.0.0.1%3A$PORT_alpha.log" ] && fail "global audit = false wrote $(ls "$LOGD")"
grep -rq 'adhoc off' "$LOGD" && fail "global audit = false wrote a record"
# ... and with audit on, the -H name maps to a safe file name.
RCON_PASSWORD=$PW "$RCONSOLE" -H "[::ffff:127.0.0.1]:$PORT_alpha" -c 'say adhoc on' > /dev/null 2>&1
wait_log alpha 'say adhoc on'
[ -f "$LOGD/%5B%3A%3Affff%3A127.0.0.1%5D%3A$PORT_alpha.log" ] ||
	fail "no mapped file for the -H name: $(ls "$LOGD")"

# A one-shot whose server cannot be reached: each command is recorded, not
# sent, with why (before, its log was left empty).
DEAD=$(free_port)
RCON_PASSWORD=$PW "$RCONSOLE" -H "127.0.0.1:$DEAD" -c 'op Mallory' -c 'say after' \
	> /dev/null 2>&1 && fail "a one-shot to a closed port succeeded"
X="$LOGD/127.0.0.1%3A$DEAD.log"
[ -f "$X" ] || fail "no $X: $(ls "$LOGD")"
one "$X" "${TIME}user=$USER_NAME server=127.0.0.1:$DEAD origin=oneshot outcome=\"not sent\" cmd=\"op Mallory\" reason=\"[^\"]*Connection refused\""
one "$X" "origin=oneshot outcome=\"not sent\" cmd=\"say after\" reason="
[ "$(wc -l < "$X")" = 2 ] || fail "the unreachable server's log should hold 2 records: $(cat "$X")"
# A wrong password: the same, with the reason.
RCON_PASSWORD=wrong "$RCONSOLE" -H "127.0.0.1:$PORT_beta" -c 'say denied' > /dev/null 2>&1 &&
	fail "a wrong password succeeded"
Y="$LOGD/127.0.0.1%3A$PORT_beta.log"
one "$Y" "origin=oneshot outcome=\"not sent\" cmd=\"say denied\" reason="
grep -q 'say denied' "$W/beta.log" && fail "a command went out after a wrong password"

# A one-shot stopped by a signal while its server holds the reply: the
# command in flight is recorded "outcome unknown" and the one queued behind
# it "not sent", both with the signal's name (before, the queued one was
# left out of the log).  SIGHUP (the SSH session closed) stops it too.
start_mcsim stuck --port 0 --password "$PW" --hang-after 0
Z="$LOGD/127.0.0.1%3A$PORT_stuck.log"
for sig in INT HUP; do
	: > "$W/stuck.log"
	RCON_PASSWORD=$PW "$RCONSOLE" -H "127.0.0.1:$PORT_stuck" -c "say held $sig" \
		-c "say queued $sig" > /dev/null 2> "$W/stuck.err" &
	pid=$!
	wait_log stuck "say held $sig"
	kill -"$sig" "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" = 130 ] || fail "SIG$sig: exit status $st, not 130: $(cat "$W/stuck.err")"
	one "$Z" "origin=oneshot outcome=\"outcome unknown\" cmd=\"say held $sig\" reason=\"interrupted by SIG$sig\""
	one "$Z" "origin=oneshot outcome=\"not sent\" cmd=\"say queued $sig\" reason=\"interrupted by SIG$sig\""
	grep -q "say queued $sig" "$W/stuck.log" && fail "the queued command went out after SIG$sig"
done
[ "$(wc -l < "$Z")" = 4 ] || fail "the stuck server's log should hold 4 records: $(cat "$Z")"

# Rotation at audit_max_kb = 1: one .1 kept, no file past 1 KiB.
i=0
while [ $i -lt 40 ]; do
	echo "say rotation line $i padded to make the record a little longer"
	i=$((i + 1))
done > "$W/many.txt"
"$RCONSOLE" --config "$CFG" small -c - < "$W/many.txt" > /dev/null 2>&1 || fail "small failed"
S="$LOGD/small.log"
[ -f "$S" ] && [ -f "$S.1" ] || fail "no rotation: $(ls "$LOGD")"
[ -e "$S.2" ] && fail "more than one rotated file"
[ "$(stat -c %s "$S")" -le 1024 ] || fail "small.log is $(stat -c %s "$S") bytes"
[ "$(stat -c %s "$S.1")" -le 1024 ] || fail "small.log.1 is $(stat -c %s "$S.1") bytes"
tail -n 1 "$S" | grep -q 'rotation line 39 ' || fail "the newest record is not last: $(tail -n 1 "$S")"
exit 0
