#!/bin/sh
# man-lint.sh: every man page in data/man/ is clean under `mandoc -Tlint`
# and `groff -mandoc -ww -z`, and no quote opens inside another as rendered
# (`.Pq Ql a , Ql b` gives ‘a, ‘b’’: an enclosure macro runs to the end of
# its line, which neither linter reports).  Fails (never skips) when mandoc
# or groff is missing: ./bootstrap installs both (Debian packages mandoc,
# groff-base).
set -eu
: "${TOP_SRCDIR:=.}"
MANDOC=${MANDOC:-mandoc}
GROFF=${GROFF:-groff}
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
command -v "$MANDOC" >/dev/null 2>&1 ||
	fail "mandoc is not installed, so the man pages cannot be checked (apt-get install mandoc)"
command -v "$GROFF" >/dev/null 2>&1 ||
	fail "groff is not installed, so the man pages cannot be checked (apt-get install groff-base)"

n=0
for page in "$TOP_SRCDIR"/data/man/*.[1-9]; do
	[ -f "$page" ] || continue
	n=$((n + 1))
	# Two kinds of line say nothing about the page and are dropped: a
	# cross-reference to a page of this tree (mandoc looks for it in the
	# system's manual path, where it is only after `make install`), and
	# mandoc's note that the system has no current mandoc.db.
	out=$("$MANDOC" -Tlint "$page" 2>&1 || true)
	out=$(printf '%s\n' "$out" | while IFS= read -r line; do
		case $line in
		'') continue ;;
		*'outdated mandoc.db lacks'*) continue ;;
		*'referenced manual not found: Xr '*)
			ref=${line##*Xr }
			ref=${ref%% (*}
			name=${ref% *}
			sec=${ref##* }
			[ -f "$TOP_SRCDIR/data/man/$name.$sec" ] && continue ;;
		esac
		printf '%s\n' "$line"
	done)
	[ -z "$out" ] || fail "mandoc -Tlint $page:
$out"
	# One paragraph a line (a wide page), so no quote is cut by a wrap.
	out=$("$MANDOC" -Tutf8 -O width=1000 "$page" | sed 's/.\x08//g' | grep -n '‘[^’]*‘\|“[^”]*“' || true)
	[ -z "$out" ] || fail "$page renders a quote inside a quote (split the enclosure over lines):
$out"
	out=$("$GROFF" -mandoc -ww -z "$page" 2>&1) || fail "groff failed on $page: $out"
	[ -z "$out" ] || fail "groff -mandoc -ww -z $page:
$out"
done
[ "$n" -ge 3 ] || fail "expected at least 3 man pages in data/man, found $n"
echo "PASS: $n man pages clean under mandoc -Tlint and groff -ww"
