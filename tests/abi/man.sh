#!/bin/sh
# man.sh: the section-3 pages (data/man/*.3).  Each one passes
# `mandoc -T lint -W warning` (mdoc without warnings), every page is in
# dist_man3_MANS, and every function a public header (include/rconsole/*.h)
# declares is named (.Nm) on a page.  Every prototype a page's SYNOPSIS
# gives (.Ft with .Fn, or .Fo/.Fa/.Fc) is the header's: the declarations
# built from the pages compile after the headers they name (.In), where a
# type that differs from the header's is an error, and every function they
# declare is one a header declares.  An EXAMPLES block that is a whole
# program (it has a main) compiles as C11 with -Wall -Wextra -pedantic.
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
# The SYNOPSIS prototypes, as C after the page's .In headers.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-man3.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for p in "$src"/data/man/*.3; do
	awk '
	# The words of s, quotes taken off, joined with ", ".
	function words(s,   out, w) {
		out = ""
		while (match(s, /"[^"]*"|[^ "]+/)) {
			w = substr(s, RSTART, RLENGTH)
			gsub(/"/, "", w)
			out = out (out == "" ? "" : ", ") w
			s = substr(s, RSTART + RLENGTH)
		}
		return out
	}
	/^\.Sh / { syn = ($2 == "SYNOPSIS") }
	!syn { next }
	/^\.In / { print "#include <" $2 ">" }
	/^\.Ft / { ret = substr($0, 5); gsub(/"/, "", ret) }
	/^\.Fn / { a = words(substr($0, 5 + length($2) + 1))
		printf "%s %s(%s);\n", ret, $2, a == "" ? "void" : a }
	/^\.Fo / { fo = $2; fa = "" }
	/^\.Fa / && fo != "" { a = substr($0, 5); gsub(/"/, "", a); fa = fa (fa == "" ? "" : ", ") a }
	/^\.Fc/ { printf "%s %s(%s);\n", ret, fo, fa; fo = "" }
	' "$p" >"$tmp/$(basename "$p").c"
	${CC:-cc} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$src/include" \
		"$tmp/$(basename "$p").c" 2>"$tmp/cc.err" ||
		fail "$(basename "$p")'s SYNOPSIS disagrees with the headers: $(cat "$tmp/cc.err")"
	for f in $(sed -n 's/^[^(]* \**\(rc_[a-z0-9_]*\)(.*/\1/p' "$tmp/$(basename "$p").c"); do
		grep -q "\b$f *(" "$src"/include/rconsole/*.h ||
			fail "$(basename "$p") declares $f, which no header does"
	done
done
n_main=0
for p in "$src"/data/man/*.3; do
	# The literal blocks of EXAMPLES, with mdoc's \e put back to a backslash.
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$p" | sed -n '/^\.Bd -literal/,/^\.Ed/p' |
		sed '/^\.Bd/d; /^\.Ed/d; s/\\e/\\/g' >"$tmp/example.c"
	grep -q '^int main' "$tmp/example.c" || continue
	${CC:-cc} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$src/include" \
		"$tmp/example.c" 2>"$tmp/cc.err" ||
		fail "$(basename "$p")'s EXAMPLES program does not build: $(cat "$tmp/cc.err")"
	n_main=$((n_main + 1))
done
[ "$n_main" -ge 1 ] || fail "no EXAMPLES program found (rconsole.3 has one)"
n_proto=$(cat "$tmp"/*.3.c | grep -c '(')
[ "$n_proto" -ge 100 ] || fail "only $n_proto prototypes found in the SYNOPSIS sections"
echo "ok: $n manual pages, $n_proto prototypes as the headers declare them, $n_main example program(s) build"
