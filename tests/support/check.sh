# check.sh: what the shell tests share — failing with a message, polling a
# condition with a deadline, showing logs, a free port and an HTTP GET.
# Source it first (tests/tui/lib.sh does, so the console tests have it):
#
#   . "${TOP_SRCDIR:-.}/tests/support/check.sh"
#   FAIL_HOOK='tail_files "$W"/*.err'      # optional: more said on failure
#   poll_until "grep -q '^[0-9]' '$W/port'" 10 || fail "mcsim did not start"

FAIL_HOOK=${FAIL_HOOK:-}   # shell code fail runs (output to stderr) before exiting

# Sets what a test against mcsim in a scratch directory starts with: top
# (the build tree), src (the source tree), mcsim (its binary), tmp (a new
# directory named after $1, removed at exit) and simpid (the mcsim the test
# starts, killed at exit; empty until then).
check_workdir() {
	top=${TOP_BUILDDIR:-.}
	src=${TOP_SRCDIR:-.}
	mcsim=${MCSIM:-$top/rconsole-mcsim}
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-$1.XXXXXX") || fail "no scratch directory"
	simpid=
	trap 'check_workdir_clean' EXIT
}

# Kills the test's mcsim and removes its scratch directory (check_workdir).
check_workdir_clean() {
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null
	rm -rf "$tmp"
}

# Fails the test: "FAIL: <message>" and what FAIL_HOOK prints, to stderr; exit 1.
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	[ -n "$FAIL_HOOK" ] && eval "$FAIL_HOOK" >&2
	exit 1
}

# Evaluates the shell condition $1 every 0.05 s until it holds (returns 0)
# or $2 seconds (default 30; a whole number) of polling have passed
# (returns 1).
poll_until() {
	poll_i=0
	while ! eval "$1"; do
		poll_i=$((poll_i + 1))
		[ $poll_i -gt $((${2:-30} * 20)) ] && return 1
		sleep 0.05
	done
	return 0
}

# Prints the last 20 lines of each file given that is not empty, each under
# a "---- <file>" line.
tail_files() {
	for tail_f in "$@"; do
		[ -s "$tail_f" ] && { echo "---- $tail_f"; tail -n 20 "$tail_f"; }
	done
	return 0
}

# Prints a TCP port on 127.0.0.1 that was free a moment ago (python3).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Prints the body of GET $1 (5 s at most), or nothing (python3).
http_get() {
	python3 -c 'import sys, urllib.request
try: sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
except Exception: pass' "$1"
}
