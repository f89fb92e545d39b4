#!/bin/sh
# audit-full.sh: a full disk never costs the audit log its earlier entries.
# In a private mount namespace a 64 KiB tmpfs holds XDG_STATE_HOME: a first
# run writes records; the disk is then filled; three more commands still
# run (exit 0), the error is said once on stderr, and the old records are
# byte for byte as they were; once space is back, records are written again.
# Then the same in the console (its tmux server runs in the namespace): the
# error is one line in the server's log, however many commands follow.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

command -v unshare >/dev/null 2>&1 || fail "unshare is needed (util-linux) to mount a private tmpfs"
unshare -m true 2>"$W/unshare.err" ||
	fail "cannot make a mount namespace (root or user namespaces needed): $(cat "$W/unshare.err")"

PW=fullDiskPW
start_mcsim alpha --port 0 --password "$PW"
write_config <<CONF
servers = ( { name = "alpha"; host = "127.0.0.1"; port = $PORT_alpha; password = "$PW"; } );
CONF
mkdir -p "$W/small"
cat > "$W/inner.sh" <<'INNER'
set -u
W=$1; RCONSOLE=$2; CFG=$3
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$W/small" ||
	fail "cannot mount a 64 KiB tmpfs on $W/small (mount -t tmpfs failed)"
export XDG_STATE_HOME="$W/small/state"
L="$XDG_STATE_HOME/rconsole/log/alpha.log"
"$RCONSOLE" --config "$CFG" alpha -c 'say before one' -c 'say before two' 2> "$W/e1" > /dev/null ||
	fail "first run failed: $(cat "$W/e1")"
[ "$(wc -l < "$L")" = 2 ] || fail "expected 2 records before the disk filled: $(cat "$L")"
cp "$L" "$W/before.log"
# Fill the disk: a filler file until ENOSPC, then the log's last page with
# one comment line, so the next record needs a block that is not there.
dd if=/dev/zero of="$W/small/filler" bs=1024 count=1024 2>/dev/null
size=$(stat -c %s "$L")
pad=$((4096 - size % 4096))
if [ "$pad" -gt 1 ] && [ "$pad" -lt 4096 ]; then
	head -c $((pad - 1)) /dev/zero | tr '\0' '#' >> "$L"
	printf '\n' >> "$L"
fi
cp "$L" "$W/full.log"
[ "$(stat -c %s "$L")" -eq $((size + pad)) ] || [ "$pad" -eq 4096 ] || fail "could not pad the log"
"$RCONSOLE" --config "$CFG" alpha -c 'say while full one' -c 'say while full two' \
	-c 'say while full three' 2> "$W/e2" > /dev/null || fail "the commands failed on a full disk: $(cat "$W/e2")"
n=$(grep -c 'audit log not written' "$W/e2")
[ "$n" = 1 ] || fail "the error should be said once on stderr, got $n: $(cat "$W/e2")"
grep -q 'No space left on device' "$W/e2" || fail "the error does not say why: $(cat "$W/e2")"
cmp -s "$L" "$W/full.log" || fail "the log changed on a full disk: $(od -c "$L" | tail -n 5)"
head -n 2 "$L" | cmp -s - "$W/before.log" || fail "the old records are not intact"
# Space again: the next record is written.
rm -f "$W/small/filler"
"$RCONSOLE" --config "$CFG" alpha -c 'say after' 2> "$W/e3" > /dev/null || fail "run after failed"
tail -n 1 "$L" | grep -q 'cmd="say after"' || fail "no record once space was back: $(tail -n 2 "$L")"
head -n 2 "$L" | cmp -s - "$W/before.log" || fail "the old records are not intact at the end"
exit 0
INNER
unshare -m sh "$W/inner.sh" "$W" "$RCONSOLE" "$CFG" 2> "$W/inner.err" || fail "$(cat "$W/inner.err")"
# Nothing leaked out of the namespace.
grep -q " $W/small " /proc/mounts && fail "the tmpfs is still mounted outside the namespace"
wait_log alpha 'say while full three'
wait_log alpha 'say after'

# The console: its tmux server, and so rconsole, live in a namespace of
# their own with the tmpfs; the test reaches the files through
# /proc/PID/root.
mkdir -p "$W/small2"
unshare -m sh -c 'mount -t tmpfs -o size=64k,mode=0700 tmpfs "$1" &&
	exec tmux -u -S "$2" -f "$3" new-session -d -x 100 -y 30 "sleep 600"' sh \
	"$W/small2" "$SOCK" "$W/tmux.conf" 2> "$W/ns.err" ||
	fail "cannot start tmux in a namespace with a tmpfs: $(cat "$W/ns.err")"
TUI_ENV="XDG_STATE_HOME=$W/small2/state" start_tui 100x30 --config "$CFG"
R="/proc/$TUI_PID/root"
L="$R$W/small2/state/rconsole/log/alpha.log"
grep -q " $W/small2 " "/proc/$TUI_PID/mounts" ||
	fail "the console does not see the tmpfs"
wait_screen '[0-9] connected'
type_text 'say console before'
keys Enter
wait_log alpha 'say console before'
wait_for 'grep -q "say console before" "$L" 2>/dev/null' "the console's first record"
cp "$L" "$W/cbefore.log"
dd if=/dev/zero of="$R$W/small2/filler" bs=1024 count=1024 2>/dev/null
size=$(stat -c %s "$L")
pad=$((4096 - size % 4096))
if [ "$pad" -gt 1 ] && [ "$pad" -lt 4096 ]; then
	head -c $((pad - 1)) /dev/zero | tr '\0' '#' >> "$L"
	printf '\n' >> "$L"
fi
cp "$L" "$W/cfull.log"
for c in one two three; do
	type_text "say console full $c"
	keys Enter
	wait_log alpha "say console full $c"
done
wait_screen 'audit log not written'
wait_screen '> say console full three'
n=$(screen | grep -c 'audit log not written')
[ "$n" = 1 ] || fail "the console should show the error once, shows it $n times"
screen | tr -d '\n' | grep -q 'No space' || fail "the error does not say why"
cmp -s "$L" "$W/cfull.log" || fail "the log changed on a full disk"
rm -f "$R$W/small2/filler"
type_text 'say console after'
keys Enter
wait_log alpha 'say console after'
wait_for 'tail -n 1 "$L" | grep -q "say console after"' "a record once space was back"
head -n 1 "$L" | cmp -s - "$W/cbefore.log" || fail "the console's old record is not intact"
keys F10
[ "$(wait_exit)" = 0 ] || fail "console exit status $(cat "$W/exit")"
exit 0
