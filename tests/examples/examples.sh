#!/bin/sh
# examples.sh: the example programs against mcsim.  examples/blocking runs
# two commands and prints their replies, and exits 4 on a wrong password;
# examples/uv-many drives 8 servers at once from libuv through the adapter
# interface (one of them by name, through the resolver's pipe) and prints
# every reply.  Both also compile clean as an outsider builds them, C11 with
# -Wall -Wextra -pedantic -Werror (the project's own build hides unused
# parameters).  Without libuv this test fails, naming the package to install.
set -u
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
check_workdir ex

[ -x "$top/examples/uv-many" ] ||
	fail "examples/uv-many was not built: libuv is missing (install the Debian package libuv1-dev, then re-run configure)"

for ex in blocking uv-many; do
	${CC:-cc} -std=c11 -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$src/include" \
		$(pkg-config --cflags libuv) "$src/examples/$ex.c" 2>"$tmp/cc.err" ||
		fail "examples/$ex.c does not build clean with -Wall -Wextra: $(cat "$tmp/cc.err")"
done

"$mcsim" --port 0 --servers 8 --players 2 --seed 3 --log "$tmp/log" >"$tmp/ports" 2>"$tmp/sim.err" &
simpid=$!
poll_until '[ "$(grep -c "^[0-9]" "$tmp/ports" 2>/dev/null)" = 8 ]' 10 ||
	fail "mcsim did not start: $(cat "$tmp/sim.err")"
ports=$(tr '\n' ' ' <"$tmp/ports")
first=$(head -n 1 "$tmp/ports")

out=$(RCON_PASSWORD=secret "$top/examples/blocking" 127.0.0.1 "$first" "sim echo hello there" list) ||
	fail "blocking exited $?: $out"
[ "$(printf '%s' "$out" | head -n 1)" = "hello there" ] || fail "blocking printed: $out"
printf '%s\n' "$out" | sed -n 2p | grep -q '^There are 2 of a max of 20 players online: ' ||
	fail "blocking printed: $out"
RCON_PASSWORD=wrong "$top/examples/blocking" 127.0.0.1 "$first" list >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 4 ] || fail "blocking with a wrong password exited $rc, not 4"
grep -q "authentication failed" "$tmp/err" || fail "blocking said: $(cat "$tmp/err")"

# uv-many: the first server by name, the others by address.
set -- $ports
RCON_PASSWORD=secret "$top/examples/uv-many" localhost "sim echo from uv" "$@" >"$tmp/uv" 2>"$tmp/uv.err" ||
	fail "uv-many exited $?: $(cat "$tmp/uv.err")"
for p in "$@"; do
	grep -qx "\[$p\] from uv" "$tmp/uv" || fail "uv-many: no reply from $p: $(cat "$tmp/uv" "$tmp/uv.err")"
done
[ "$(wc -l <"$tmp/uv")" = 8 ] || fail "uv-many printed $(wc -l <"$tmp/uv") lines"
[ "$(grep -cx 'sim echo from uv' "$tmp/log")" = 8 ] || fail "mcsim did not log the command 8 times"
echo "ok: blocking and uv-many against mcsim"
