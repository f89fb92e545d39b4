#!/bin/sh
# adapter-size.sh: rc_adapter may grow at its end without breaking the
# programs built against its first layout (adapter.h, rc_adapter(3)).
# Builds the library's sources against a copy of the headers whose
# rc_adapter has one hook more, as a later release's would, links
# tests/abi/adapter-caller.c (built against the headers as they are, its
# table the first layout's size, nothing readable past it) to that library
# and runs it against mcsim: both rc_conn_new_adapter() and
# rc_session_new_adapter() must take the table and get `list` answered,
# and a table one byte short of the first layout must be refused.
set -u
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
check_workdir adapter

# The later release's headers: a hook appended after timer.
mkdir "$tmp/grown" "$tmp/obj"
cp -R "$src/include/rconsole" "$tmp/grown/"
sed 's|^\(	void (\*timer)(void \*ctx, rc_conn \*c, int64_t ms);\)$|\1\
	void (*later)(void *ctx, rc_conn *c);|' \
	"$src/include/rconsole/adapter.h" >"$tmp/grown/rconsole/adapter.h"
grep -q '(\*later)' "$tmp/grown/rconsole/adapter.h" ||
	fail "could not append a hook to rc_adapter (adapter.h changed shape?)"

# The library built from the same sources against them, with the flags
# configure chose (a build with --enable-sanitizers puts the sanitizers in
# this one and in the program too).
mkvar() { sed -n "s/^$1 = //p" "$top/Makefile"; }
san=$(mkvar SAN_CFLAGS)
for f in "$src"/src/lib/*.c; do
	${CC:-cc} -std=c11 -g -O0 $san -include "$top/config.h" -I"$tmp/grown" -I"$src/src" \
		$(mkvar LIBCONFIG_CFLAGS) -c "$f" -o "$tmp/obj/$(basename "$f" .c).o" 2>>"$tmp/cc.err" ||
		{ cat "$tmp/cc.err" >&2; fail "building $(basename "$f") against the grown headers"; }
done
ar rcs "$tmp/libgrown.a" "$tmp"/obj/*.o || fail "ar"
${CC:-cc} -std=c11 -Wall -Wextra -Werror $san -I"$src/include" -o "$tmp/adapter-caller" \
	"$src/tests/abi/adapter-caller.c" "$tmp/libgrown.a" \
	$(mkvar LIBCONFIG_LIBS) $(mkvar PTHREAD_LIBS) ||
	fail "linking the first-layout program to the grown library"

"$mcsim" --port 0 --password secret >"$tmp/port" 2>"$tmp/sim.err" &
simpid=$!
poll_until "grep -q '^[0-9]' '$tmp/port' 2>/dev/null" 10 ||
	fail "mcsim did not start: $(cat "$tmp/sim.err")"
out=$("$tmp/adapter-caller" "$(head -n 1 "$tmp/port")" secret 2>&1) ||
	fail "first-layout program with the grown library: $out"
[ "$out" = ok ] || fail "adapter-caller printed: $out"
echo "ok: a first-layout rc_adapter works with a grown library; a shorter one is refused"
