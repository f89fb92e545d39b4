#!/bin/sh
# firstrun.sh: the first hour.  With no configuration at all the console
# opens on an empty list with a welcome line (one-shot modes still exit 2);
# :add checks each answer as it is given and asks again (host:port splits,
# so no port question), asks for tags and read-only, and ends with the
# server READY and its profile saved.  A failing save leaves no password
# file behind, and no .bak (an earlier one as it was); the first rewrite of
# a hand-written file keeps it as .bak and says comments are not kept.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 2
CONF="$XDG_CONFIG_HOME/rconsole/rconsole.conf"

# One-shot modes keep exit 2 without a server, with a hint that works
# after `make install` (no source-tree path).
"$RCONSOLE" -c list > "$W/oneshot.out" 2> "$W/oneshot.err"
st=$?
[ "$st" = 2 ] || fail "one-shot with no profiles: exit $st, expected 2"
grep -q ':add' "$W/oneshot.err" || fail "no :add hint: $(cat "$W/oneshot.err")"
grep -q 'data/rconsole.conf.example' "$W/oneshot.err" && fail "hint cites the source tree"

start_tui
wait_screen 'no servers yet — :add to add one, F1'
# Wide enough for the welcome on one line.
resize 120 30
wait_screen 'no servers yet — :add to add one, F1 for help'
[ -e "$CONF" ] && fail "a configuration was written before anything was added"

type_text ':add'
keys Enter
wait_screen 'new server name:'
type_text 'bad name!'
# Checked as it is typed, and again when it is given.
wait_screen 'new server name: bad name! .*use a-z 0-9 \._\+@-'
keys Enter
wait_screen 'a name is 1-64 letters'
# Asked again, with what was typed: fix it in place.
keys BSpace BSpace BSpace BSpace BSpace BSpace
wait_screen 'new server name: bad $|new server name: bad  '
keys BSpace BSpace BSpace BSpace
type_text 'alpha'
keys Enter
wait_screen 'host\[:port\]:'
type_text 'no such host/x'
wait_screen 'not host\[:port\]'
keys Enter
wait_screen 'expected a host name or address'
keys C-u
type_text "127.0.0.1:$PORT_alpha"
wait_screen "host\\[:port\\]: 127.0.0.1:$PORT_alpha +"
screen | tail -n 1 | grep -q 'not host' && fail "a good host:port is flagged"
keys Enter
# The port came with the host: the next question is the tags.
wait_screen 'tags \(a,b or Enter\):'
screen | grep -q 'port \[25575\]' && fail "the port was asked although it was given"
type_text 'prod, eu-west'
keys Enter
wait_screen 'read-only'
type_text 'maybe'
wait_screen 'y or n'
keys Enter
wait_screen 'answer y or n'
keys C-u
type_text 'n'
keys Enter
wait_screen 'RCON password:'
type_text 'secret'
keys Enter
wait_screen '│● alpha '
wait_screen 'connected'
[ -f "$CONF" ] || fail "no configuration saved at $CONF"
grep -q '"alpha"' "$CONF" || fail "profile not saved: $(cat "$CONF")"
grep -q 'port = '"$PORT_alpha" "$CONF" || fail "port not saved: $(cat "$CONF")"
grep -q 'tags = \[ "prod", "eu-west" \]' "$CONF" || fail "tags not saved: $(cat "$CONF")"
grep -q 'read_only' "$CONF" && fail "read_only saved although answered n"
[ "$(cat "$XDG_CONFIG_HOME/rconsole/alpha.pass")" = secret ] || fail "password file wrong"
[ -e "$CONF.bak" ] && fail "a .bak of a file rconsole wrote itself"
type_text 'seed'
keys Enter
wait_log alpha 'seed'
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# A hand-written file, and a save that fails (the file size limit stops
# the .bak copy, root included): no password file, nothing changed.
start_mcsim beta --port 0 --players 1
write_config <<CONF
// My servers, by hand.  $(printf '%0600d' 0)
refresh = 1;   # once a second
servers = ( { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "secret"; } );
CONF
cp "$CFG" "$W/hand.conf"
cat > "$W/limited.sh" <<LIM
#!/bin/sh
trap '' XFSZ
ulimit -f 1
exec "$RCONSOLE" "\$@"
LIM
chmod +x "$W/limited.sh"
REAL=$RCONSOLE
RCONSOLE="$W/limited.sh"
start_tui 200x30 --config "$CFG"
RCONSOLE=$REAL
wait_screen '│● alpha '
add_server beta "127.0.0.1:$PORT_beta" secret
wait_screen 'nothing was saved'
[ -e "$W/beta.pass" ] && fail "a failed :add left its password file"
ls -a "$W" | grep -q 'rconsole-pass\|\.rconsole\.conf\.' && fail "temporary files left: $(ls -a "$W")"
cmp -s "$CFG" "$W/hand.conf" || fail "the configuration changed after a failed save"
[ -e "$CFG.bak" ] && fail "a .bak left by a failed save"
screen | grep -q '│● beta ' && fail "the server was opened although nothing was saved"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"

# Without the limit: the hand-written file is kept as .bak, and it says so.
start_tui 200x30 --config "$CFG"
wait_screen '│● alpha '
add_server beta "127.0.0.1:$PORT_beta" secret y
wait_screen '│● beta '
wait_screen 'comments are not kept'
cmp -s "$CFG.bak" "$W/hand.conf" || fail ".bak is not the hand-written file"
[ "$(stat -c %a "$CFG.bak")" = 600 ] || fail ".bak mode $(stat -c %a "$CFG.bak")"
grep -q 'read_only = true' "$CFG" || fail "read-only not saved: $(cat "$CFG")"
[ -f "$W/beta.pass" ] || fail "no password file after a good :add"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
# A small hand-written file: its .bak copy fits under the size limit (512
# or 1024 bytes: ulimit -f counts blocks of either size, by shell), the new
# longer file does not, so the save fails after the copy was made.  A save
# that did not happen leaves the directory as it was: the file, the earlier
# .bak (the one kept above) and no new one, no password file.
{
	echo '// by hand'
	echo 'servers = ('
	for k in 1 2 3 4 5 6 7 8; do
		echo " {name=\"s$k\";host=\"h\";password=\"x\";},"
	done
	echo " {name=\"alpha\";host=\"127.0.0.1\";port=$PORT_alpha;password=\"secret\";}"
	echo ');'
} > "$CFG"
chmod 600 "$CFG"
[ "$(wc -c < "$CFG")" -lt 512 ] || fail "the small hand-written file is $(wc -c < "$CFG") bytes"
cp "$CFG" "$W/small.conf"
cp "$CFG.bak" "$W/earlier.bak"
ls -a "$W" | grep -E 'rconsole|\.pass|\.bak' > "$W/files.before"
RCONSOLE="$W/limited.sh"
start_tui 200x30 --config "$CFG" alpha
RCONSOLE=$REAL
wait_screen '│● alpha '
add_server gamma "127.0.0.1:$PORT_beta" secret
wait_screen 'nothing was saved'
screen | grep -q 'rconsole.conf: write: File too large' || fail "not the new file's write failed"
cmp -s "$CFG" "$W/small.conf" || fail "the configuration changed after a failed save"
cmp -s "$CFG.bak" "$W/earlier.bak" || fail "a failed save replaced the earlier .bak"
ls -a "$W" | grep -E 'rconsole|\.pass|\.bak' > "$W/files.after"
cmp -s "$W/files.before" "$W/files.after" ||
	fail "a failed save left files: $(diff "$W/files.before" "$W/files.after")"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
# The same :add without the limit: the new file is over it, and this time
# the small file is kept as .bak.
start_tui 200x30 --config "$CFG" alpha
wait_screen '│● alpha '
add_server gamma "127.0.0.1:$PORT_beta" secret
wait_screen 'comments are not kept'
[ "$(wc -c < "$CFG")" -gt 1024 ] || fail "the new file is only $(wc -c < "$CFG") bytes"
cmp -s "$CFG.bak" "$W/small.conf" || fail ".bak is not the small hand-written file"
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
exit 0
