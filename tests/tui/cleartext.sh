#!/bin/sh
# cleartext.sh: a server reached directly at an address that is not
# loopback gets the clear-text warning once in its log (not again after a
# reconnect) and in --status (stderr; a field in --status --json), with the
# ssh = hint; insecure_ok = true silences it; loopback servers have none.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

# This machine's own non-loopback IPv4 address (mcsim listens there).
ADDR=$(ip -o -4 addr show scope global 2>/dev/null | awk '{ sub("/.*", "", $4); print $4; exit }')
[ -n "$ADDR" ] || ADDR=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' |
	grep -v '^127\.' | head -n 1)
[ -n "$ADDR" ] || fail "this machine has no non-loopback IPv4 address to test with (ip -o addr: $(ip -o addr 2>&1 | tr '\n' ' '))"

start_mcsim remote --port 0 --bind "$ADDR"
start_mcsim local --port 0
write_config <<CONF
refresh = 0;
servers = (
  { name = "remote"; host = "$ADDR"; port = $PORT_remote; password = "secret"; },
  { name = "remoteok"; host = "$ADDR"; port = $PORT_remote; password = "secret"; insecure_ok = true; },
  { name = "local"; host = "127.0.0.1"; port = $PORT_local; password = "secret"; }
);
CONF

start_tui 120x30 --config "$CFG"
wait_screen '[0-9] connected'
wait_screen "$ADDR is not a loopback address"
wait_screen 'SSH tunnel with ssh ='
wait_screen '"user@host" in its profile'
wait_screen 'insecure_ok = true'
# Reconnecting does not say it again.
type_text ':disconnect'
keys Enter
wait_screen 'disconnected'
type_text ':connect'
keys Enter
wait_for '[ "$(screen | grep -Ec "[0-9] connected +│")" -ge 2 ]' "the reconnect"
n=$(screen | grep -c 'is not a loopback address')
[ "$n" = 1 ] || fail "the warning should be shown once, shown $n times"
keys M-2
wait_screen '┌ remoteok|╔ remoteok'
wait_screen '[0-9] connected'
screen | grep -q 'loopback' && fail "insecure_ok = true did not silence the warning"
keys M-3
wait_screen '┌ local|╔ local'
wait_screen '[0-9] connected'
screen | grep -q 'loopback' && fail "a loopback server got the warning"
keys F10
wait_exit > /dev/null

# --status: on stderr for remote only; the table on stdout stays clean.
"$RCONSOLE" --config "$CFG" --status > "$W/st.out" 2> "$W/st.err"
grep -q '^remote .* up ' "$W/st.out" || fail "remote not up in --status: $(cat "$W/st.out")"
grep -q 'loopback' "$W/st.out" && fail "the warning went to stdout"
[ "$(grep -c 'is not a loopback address' "$W/st.err")" = 1 ] ||
	fail "--status should warn once (remote): $(cat "$W/st.err")"
grep -q '^rconsole: remote: warning: .*ssh = "user@host"' "$W/st.err" ||
	fail "the --status warning names neither the server nor ssh =: $(cat "$W/st.err")"
# --status --json: a field, null where nothing is wrong.
"$RCONSOLE" --config "$CFG" --status --json > "$W/st.json" 2> "$W/stj.err"
grep -q 'loopback' "$W/stj.err" && fail "--json also warned on stderr"
grep -Eq '"name":"remote",[^}]*"cleartext_warning":"warning: [^"]*is not a loopback' "$W/st.json" ||
	fail "no cleartext_warning for remote: $(cat "$W/st.json")"
grep -Eq '"name":"remoteok",[^}]*"cleartext_warning":null' "$W/st.json" ||
	fail "remoteok's cleartext_warning is not null: $(cat "$W/st.json")"
grep -Eq '"name":"local",[^}]*"cleartext_warning":null' "$W/st.json" ||
	fail "local's cleartext_warning is not null: $(cat "$W/st.json")"
exit 0
