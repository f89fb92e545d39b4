#!/bin/sh
# audit-full.sh: a full disk never costs the audit log its earlier entries.
# In a private mount namespace a 64 KiB tmpfs holds XDG_STATE_HOME: a first
# run writes records; the disk is then filled; three more commands still
# run (exit 0), the error is said once on stderr, and the old records are
# byte for byte as they were; once space is back, records are written again.
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
die() { echo "FAIL: $*" >&2; exit 1; }
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$W/small" ||
	die "cannot mount a 64 KiB tmpfs on $W/small (mount -t tmpfs failed)"
export XDG_STATE_HOME="$W/small/state"
L="$XDG_STATE_HOME/rconsole/log/alpha.log"
"$RCONSOLE" --config "$CFG" alpha -c 'say before one' -c 'say before two' 2> "$W/e1" > /dev/null ||
	die "first run failed: $(cat "$W/e1")"
[ "$(wc -l < "$L")" = 2 ] || die "expected 2 records before the disk filled: $(cat "$L")"
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
[ "$(stat -c %s "$L")" -eq $((size + pad)) ] || [ "$pad" -eq 4096 ] || die "could not pad the log"
"$RCONSOLE" --config "$CFG" alpha -c 'say while full one' -c 'say while full two' \
	-c 'say while full three' 2> "$W/e2" > /dev/null || die "the commands failed on a full disk: $(cat "$W/e2")"
n=$(grep -c 'audit log not written' "$W/e2")
[ "$n" = 1 ] || die "the error should be said once on stderr, got $n: $(cat "$W/e2")"
grep -q 'No space left on device' "$W/e2" || die "the error does not say why: $(cat "$W/e2")"
cmp -s "$L" "$W/full.log" || die "the log changed on a full disk: $(od -c "$L" | tail -n 5)"
head -n 2 "$L" | cmp -s - "$W/before.log" || die "the old records are not intact"
# Space again: the next record is written.
rm -f "$W/small/filler"
"$RCONSOLE" --config "$CFG" alpha -c 'say after' 2> "$W/e3" > /dev/null || die "run after failed"
tail -n 1 "$L" | grep -q 'cmd="say after"' || die "no record once space was back: $(tail -n 2 "$L")"
head -n 2 "$L" | cmp -s - "$W/before.log" || die "the old records are not intact at the end"
exit 0
INNER
unshare -m sh "$W/inner.sh" "$W" "$RCONSOLE" "$CFG" 2> "$W/inner.err" || fail "$(cat "$W/inner.err")"
# Nothing leaked out of the namespace.
grep -q " $W/small " /proc/mounts && fail "the tmpfs is still mounted outside the namespace"
wait_log alpha 'say while full three'
wait_log alpha 'say after'
exit 0
