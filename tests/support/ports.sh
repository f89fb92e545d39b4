# ports.sh: the machine-wide port locks of the shell tests (sourced by
# tests/tui/lib.sh and by scripts that stop a server while a client keeps
# reconnecting to it).  The caller defines fail and W (its work directory)
# and kills $LOCK_PIDS when it ends (the holders also die with it).

LOCK_PIDS=      # port lock holders (see claim_ports)
HELD_PORTS=" "  # ports whose lock this test holds
PORT_LOCKS=/tmp/rconsole-test-ports   # shared with tests/support/mcsim.c

# Takes the machine-wide locks of the ports in file $1 that this test does
# not hold yet, for the rest of the test: tests run side by side, and while
# one of ours is stopped (or our console still reconnects to it) another
# test's mcsim must not serve its port.  A python3 holder keeps the flock()s
# (the same locks tests/support/mcsim.c takes) and dies with this shell.
# Returns 1 when another live test holds one of them.
claim_ports() {
	new=
	for p in $(cat "$1"); do
		case "$HELD_PORTS" in *" $p "*) ;; *) new="$new $p" ;; esac
	done
	[ -n "$new" ] || return 0
	command -v python3 >/dev/null 2>&1 || fail "python3 is needed to lock test ports (./bootstrap installs it)"
	: > "$W/claim"
	# shellcheck disable=SC2086
	python3 -c '
import fcntl, os, sys, time
d = sys.argv[1]
old = os.umask(0)
try:
    os.makedirs(d, 0o1777, exist_ok=True)
except OSError:
    pass
fds = []
for p in sys.argv[2:]:
    fd = os.open(os.path.join(d, p), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("busy", p, flush=True)
        sys.exit(75)
    fds.append(fd)
os.umask(old)
print("held", flush=True)
parent = os.getppid()
while os.getppid() == parent:
    time.sleep(0.5)
' "$PORT_LOCKS" $new > "$W/claim" 2>&1 < /dev/null &
	lpid=$!
	i=0
	until grep -q '^held' "$W/claim" 2>/dev/null; do
		if ! kill -0 "$lpid" 2>/dev/null; then
			wait "$lpid" 2>/dev/null
			grep -q '^busy' "$W/claim" && return 1
			fail "cannot lock test ports: $(cat "$W/claim")"
		fi
		i=$((i + 1))
		[ $i -gt $((${TUI_WAIT:-15} * 50)) ] && fail "port lock holder did not start"
		sleep 0.02
	done
	LOCK_PIDS="$LOCK_PIDS $lpid"
	HELD_PORTS="$HELD_PORTS${new# } "
	return 0
}
