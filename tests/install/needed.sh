#!/bin/sh
# needed.sh: what the rconsole program loads when it starts (issue 11).
# Its NEEDED entries never name libmicrohttpd (--metrics and metrics_listen
# dlopen it), and with --enable-static-deps (config.h's RC_STATIC_DEPS)
# not ncursesw, tinfo or libconfig either; a one-shot invocation against a
# real mcsim loads no libmicrohttpd at run time (LD_DEBUG=files); `rconsole
# --metrics` still loads it and serves GET /metrics; and a libmicrohttpd
# that cannot be loaded is one clear error and exit 2, before any server
# is contacted.  readelf or objdump, and python3, are required: without
# them this test fails, it never skips.
set -u
: "${TOP_BUILDDIR:=.}"
RCONSOLE=${RCONSOLE:-$TOP_BUILDDIR/rconsole}
W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-needed-XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
# fail, poll_until, tail_files, free_port, http_get.
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
FAIL_HOOK='tail_files "$W"/*.err'
command -v python3 >/dev/null || fail "python3 not found"
CONFIG_H=$TOP_BUILDDIR/config.h
[ -f "$CONFIG_H" ] || fail "no $CONFIG_H (run this through make check)"

# The program itself, not a libtool wrapper script.
BIN=$RCONSOLE
[ "$(head -c 4 "$BIN" | od -An -c | tr -d ' ')" = '177ELF' ] || BIN=$TOP_BUILDDIR/.libs/rconsole
[ -f "$BIN" ] || fail "cannot find the rconsole executable ($RCONSOLE)"

# With --enable-static-libc (config.h's RC_STATIC_LIBC) rconsole is a
# static PIE with no NEEDED entry and no program interpreter, and its twin
# rconsole-dynamic (beside it in the build tree) has the NEEDED entries
# checked below; it runs the console and --metrics (src/cli/twin.c).
STATIC=no
grep -q '^#define RC_STATIC_LIBC 1' "$CONFIG_H" && STATIC=yes
if [ "$STATIC" = yes ]; then
	command -v readelf >/dev/null || fail "readelf not found: apt-get install binutils"
	readelf -lW "$BIN" > "$W/phdrs" || fail "readelf -l $BIN failed"
	! grep -q 'INTERP' "$W/phdrs" || fail "--enable-static-libc, yet rconsole has a program interpreter"
	grep -q 'LOAD' "$W/phdrs" || fail "readelf -l shows no LOAD segment: $(head -n 5 "$W/phdrs")"
	! readelf -d "$BIN" | grep -q '(NEEDED)' ||
		fail "--enable-static-libc, yet rconsole needs: $(readelf -d "$BIN" | grep NEEDED)"
	readelf -h "$BIN" | grep -q 'DYN (' || fail "the static rconsole is not position-independent"
	TWIN=$(dirname "$BIN")/rconsole-dynamic
	[ -x "$TWIN" ] || fail "--enable-static-libc, yet no $TWIN"
	NBIN=$TWIN
else
	NBIN=$BIN
fi
# Its NEEDED entries (the twin's when static), one a line.
if command -v readelf >/dev/null; then
	readelf -d "$NBIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p' > "$W/needed"
elif command -v objdump >/dev/null; then
	objdump -p "$NBIN" | awk '$1 == "NEEDED" { print $2 }' > "$W/needed"
else
	fail "neither readelf nor objdump found: apt-get install binutils"
fi
grep -q '^libc\.' "$W/needed" || fail "no libc among the NEEDED entries (cannot read them?): $(cat "$W/needed")"
! grep -q '^libmicrohttpd' "$W/needed" || fail "rconsole links libmicrohttpd: $(tr '\n' ' ' < "$W/needed")"
if grep -q '^#define RC_STATIC_DEPS 1' "$CONFIG_H"; then
	! grep -Eq '^lib(ncurses|tinfo|config)' "$W/needed" ||
		fail "--enable-static-deps, yet rconsole needs: $(tr '\n' ' ' < "$W/needed")"
else
	echo "static deps disabled by configure: ncursesw, tinfo and libconfig stay shared"
fi
SONAME=$(sed -n 's/^#define RC_MHD_SONAME "\(.*\)"$/\1/p' "$CONFIG_H")
[ -n "$SONAME" ] || fail "no RC_MHD_SONAME in $CONFIG_H"

# A real server, and a profile for --metrics.
"$MCSIM" --port 0 --log "$W/mcsim.log" > "$W/sim.port" 2> "$W/sim.err" &
PIDS="$PIDS $!"
poll_until "grep -q '^[0-9]' '$W/sim.port'" 10 || fail "mcsim did not start"
PORT=$(head -n 1 "$W/sim.port")
cat > "$W/rconsole.conf" <<CONF
servers = ( { name = "alpha"; host = "127.0.0.1"; port = $PORT; password = "secret"; } );
CONF
chmod 600 "$W/rconsole.conf"
# No user's configuration or state in what follows.
HOME=$W XDG_CONFIG_HOME=$W/config XDG_STATE_HOME=$W/state
export HOME XDG_CONFIG_HOME XDG_STATE_HOME

# One-shot: the reply, and the dynamic loader never opened libmicrohttpd.
out=$(RCON_PASSWORD=secret LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld" \
	"$RCONSOLE" -H 127.0.0.1 -P "$PORT" -c list 2> "$W/oneshot.err") ||
	fail "rconsole -c list exited $?"
case $out in *"players online"*) ;; *) fail "rconsole -c list printed: $out" ;; esac
if [ "$STATIC" = yes ]; then
	# No dynamic loader at all: nothing for LD_DEBUG to say.
	! ls "$W"/ld.* > /dev/null 2>&1 || fail "a static rconsole ran the dynamic loader: $(head -n 3 "$W"/ld.*)"
else
	ls "$W"/ld.* > /dev/null 2>&1 || fail "LD_DEBUG_OUTPUT wrote nothing"
	! grep -q 'file=libmicrohttpd' "$W"/ld.* || fail "one-shot loaded libmicrohttpd: $(grep -h 'file=' "$W"/ld.* | head -n 5)"
fi
rm -f "$W"/ld.*

# One-shot start-up does only what one-shot needs (issue 11): no locale
# data (the C locale), no terminfo (no curses), and with -H no
# configuration file read, though one is there to read.
command -v strace > /dev/null || fail "strace not found (./bootstrap installs it)"
mkdir -p "$W/config/rconsole"
cp "$W/rconsole.conf" "$W/config/rconsole/rconsole.conf"
# (LeakSanitizer cannot run under ptrace: a sanitizer build leaves it out here.)
RCON_PASSWORD=secret LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -e trace=open,openat,execve -o "$W/st" \
	"$RCONSOLE" -H 127.0.0.1 -P "$PORT" -c list > /dev/null 2>&1 || fail "rconsole -c list under strace"
if [ "$STATIC" = yes ]; then
	grep -q 'open' "$W/st" || fail "strace saw no open at all"
	! grep -q '\.so' "$W/st" || fail "a static one-shot opened a shared object: $(grep '\.so' "$W/st" | head -n 3)"
	! grep -q 'rconsole-dynamic' "$W/st" || fail "a one-shot ran the twin"
else
	grep -q 'libc\.so' "$W/st" || fail "strace saw no open: $(head -n 3 "$W/st")"
fi
if grep -E 'locale|terminfo|rconsole\.conf' "$W/st" > "$W/st.bad"; then
	fail "one-shot opened what it does not need: $(head -n 5 "$W/st.bad")"
fi
rm -rf "$W/config/rconsole"

# --metrics loads it and serves /metrics.
MPORT=$(free_port)
LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld" \
	"$RCONSOLE" --config "$W/rconsole.conf" --metrics "127.0.0.1:$MPORT" < /dev/null \
	> "$W/metrics.out" 2> "$W/metrics.err" &
MPID=$!
PIDS="$PIDS $MPID"
URL="http://127.0.0.1:$MPORT/metrics"
poll_until "http_get '$URL' | grep -q '^rconsole_up{server=\"alpha\",tags=\"\"} 1\$'" ||
	fail "/metrics never said alpha is up: $(http_get "$URL")"
grep -q "file=$SONAME .*dynamically loaded by" "$W"/ld.* ||
	fail "rconsole --metrics serves, yet the loader did not dlopen $SONAME"
kill -TERM "$MPID"
wait "$MPID"
st=$?
[ "$st" = 0 ] || fail "rconsole --metrics exited $st on SIGTERM"
PIDS=$(echo "$PIDS" | sed "s/ $MPID\$//")

# A libmicrohttpd that is no library: exit 2, one line naming it, and no
# command reached the server (mcsim's log stays empty).
mkdir "$W/lib"
echo "not a shared object" > "$W/lib/$SONAME"
: > "$W/mcsim.log"
LD_LIBRARY_PATH="$W/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
	"$RCONSOLE" --config "$W/rconsole.conf" --metrics "127.0.0.1:$MPORT" < /dev/null \
	> "$W/bad.out" 2> "$W/bad.err"
st=$?
[ "$st" = 2 ] || fail "an unloadable $SONAME gave exit $st, not 2: $(cat "$W/bad.err")"
grep -q "^rconsole: --metrics needs libmicrohttpd ($SONAME): " "$W/bad.err" ||
	fail "unexpected message: $(cat "$W/bad.err")"
[ "$(wc -l < "$W/bad.err")" -eq 1 ] || fail "more than one line on stderr: $(cat "$W/bad.err")"
[ ! -s "$W/mcsim.log" ] || fail "mcsim was sent commands: $(cat "$W/mcsim.log")"
# A static rconsole copied away from its twin: one-shot still works, and
# --metrics is one clear error naming where the twin was looked for, exit 2,
# before any server is contacted.
if [ "$STATIC" = yes ]; then
	mkdir "$W/solo"
	cp "$BIN" "$W/solo/rconsole"
	out=$(RCON_PASSWORD=secret "$W/solo/rconsole" -H 127.0.0.1 -P "$PORT" -c list 2> "$W/solo.err") ||
		fail "a static rconsole without its twin: -c list exited $?: $(cat "$W/solo.err")"
	case $out in *"players online"*) ;; *) fail "rconsole -c list printed: $out" ;; esac
	: > "$W/mcsim.log"
	"$W/solo/rconsole" --config "$W/rconsole.conf" --metrics "127.0.0.1:$MPORT" < /dev/null \
		> "$W/solo.out" 2> "$W/solo.err"
	st=$?
	[ "$st" = 2 ] || fail "--metrics without the twin gave exit $st, not 2: $(cat "$W/solo.err")"
	grep -q "^rconsole: --metrics needs libmicrohttpd ($SONAME): .*rconsole-dynamic, which is not at $W/solo/rconsole-dynamic or " "$W/solo.err" ||
		fail "unexpected message: $(cat "$W/solo.err")"
	[ ! -s "$W/mcsim.log" ] || fail "mcsim was sent commands: $(cat "$W/mcsim.log")"
fi
echo "ok: static libc $STATIC, NEEDED $(tr '\n' ' ' < "$W/needed")"
exit 0
