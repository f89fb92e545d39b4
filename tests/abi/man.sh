#!/bin/sh
# man.sh: the section-3 pages (data/man/*.3).  Each one passes
# `mandoc -T lint -W warning` (mdoc without warnings), every page is in
# dist_man3_MANS, and every function a public header (include/rconsole/*.h)
# declares is named (.Nm) on a page.
set -u
src=${TOP_SRCDIR:-.}
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
command -v mandoc >/dev/null 2>&1 || fail "mandoc is needed to check the manual pages"
n=0
for p in "$src"/data/man/*.3; do
	out=$(mandoc -T lint -W warning "$p" 2>&1) || true
	[ -z "$out" ] || fail "$(basename "$p"): $out"
	grep -q "data/man/$(basename "$p")" "$src/src/lib/local.mk" ||
		fail "$(basename "$p") is not installed (dist_man3_MANS)"
	n=$((n + 1))
done
[ $n -ge 11 ] || fail "only $n pages"
for hp in "$src"/include/rconsole/*.h; do
	h=$(basename "$hp" .h)
	for f in $(grep -oE '\brc_[a-z0-9_]+ *\(' "$hp" | tr -d '( ' | sort -u); do
		# rc_conn: a word in client.h's comments ("an rc_conn (...)").
		case $f in rc_conn) continue ;; esac
		grep -q "^\.Nm $f\( ,\)\{0,1\}$" "$src"/data/man/*.3 ||
			fail "$f ($h.h) is on no manual page"
	done
done
echo "ok: $n manual pages"
