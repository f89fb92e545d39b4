#!/bin/sh
# man-options.sh: `rconsole --help`, the OPTIONS of rconsole(1) and the
# README's Use section name the same options.
#
#  1. help ⊆ man: every option --help mentions (usage lines included) is
#     mentioned in the man page's OPTIONS section.
#  2. man ⊆ help: every option the OPTIONS section has an item for (.It Fl)
#     is mentioned by --help.  One exception, printed as a note: an option
#     this build of rconsole does not accept at all ("unknown option"), which
#     is documented ahead of a branch that adds it; once it exists, --help
#     must list it.
#  3. README ⊆ help: every option in the README's Use section is in --help.
#  4. rconsole-mcsim --help and rconsole-mcsim(1) name the same options
#     (both ways, no exception).
#  5. The bash, zsh and fish completions (data/completions/) offer the same
#     options as --help, both ways; an alternative spelling --help gives as
#     "(also --x)" may be left out, as the completions offer the main one.
set -eu
: "${TOP_SRCDIR:=.}" "${RCONSOLE:=./rconsole}" "${MCSIM:=./rconsole-mcsim}"
PAGE="$TOP_SRCDIR/data/man/rconsole.1"
. "${TOP_SRCDIR:-.}/tests/support/check.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-opts.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

# Prints the options (-x, --long) a text mentions, one a line, sorted.
options_in() {
	grep -oE -- '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u
}

# The OPTIONS section of the page's source.
sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$PAGE" > "$W/options.mdoc"
[ -s "$W/options.mdoc" ] || fail "no OPTIONS section in $PAGE"

"$RCONSOLE" --help > "$W/help.txt" || fail "rconsole --help failed"
options_in < "$W/help.txt" > "$W/help.opts"
[ "$(wc -l < "$W/help.opts")" -ge 20 ] || fail "too few options found in --help: $(cat "$W/help.opts")"

# Every option the section mentions: each word after a Fl macro, with a dash
# put back (`Fl -color` is --color, `Fl H` is -H).
awk '{ for (i = 1; i < NF; i++) if (($i == "Fl" || $i == ".Fl") && $(i + 1) ~ /^-?[A-Za-z]/) print "-" $(i + 1) }' \
	"$W/options.mdoc" | sed 's/[^A-Za-z0-9-].*$//' | sort -u > "$W/man.opts"
# The options the section has an item for.
grep '^\.It ' "$W/options.mdoc" |
	awk '{ for (i = 1; i < NF; i++) if (($i == "Fl" || $i == ".Fl") && $(i + 1) ~ /^-?[A-Za-z]/) print "-" $(i + 1) }' |
	sed 's/[^A-Za-z0-9-].*$//' | sort -u > "$W/man.items"

missing=$(comm -23 "$W/help.opts" "$W/man.opts")
[ -z "$missing" ] || fail "--help mentions options the man page's OPTIONS do not: $missing"

bad=
for opt in $(comm -23 "$W/man.items" "$W/help.opts"); do
	if "$RCONSOLE" "$opt" --version < /dev/null > /dev/null 2> "$W/probe.err" ||
	    ! grep -q 'unknown option' "$W/probe.err"; then
		bad="$bad $opt"
	else
		echo "note: $opt is documented but not in this build yet" >&2
	fi
done
[ -z "$bad" ] || fail "rconsole accepts options the man page lists but --help does not:$bad"

# The README's Use section: every option it shows must be real.
# Every long option it names, and the short ones that follow the word rconsole
# on a line (`tail -f x | rconsole -c -` shows tail's -f, not ours).
sed -n '/^## Use/,/^## /p' "$TOP_SRCDIR/README.md" > "$W/use.md"
{ options_in < "$W/use.md" | grep -- '^--'
  sed -n 's/.*rconsole\( \|$\)/\1/p' "$W/use.md" | options_in; } | sort -u > "$W/readme.opts"
[ -s "$W/readme.opts" ] || fail "no options found in the README's Use section"
missing=$(comm -23 "$W/readme.opts" "$W/help.opts")
[ -z "$missing" ] || fail "the README's Use section shows options --help does not: $missing"

# rconsole-mcsim: its --help and its page, both ways.
"$MCSIM" --help > "$W/mcsim-help.txt" || fail "rconsole-mcsim --help failed"
options_in < "$W/mcsim-help.txt" > "$W/mcsim-help.opts"
[ "$(wc -l < "$W/mcsim-help.opts")" -ge 15 ] || fail "too few options in rconsole-mcsim --help"
sed -n '/^\.Sh OPTIONS/,/^\.Sh [A-NP-Z]/p' "$TOP_SRCDIR/data/man/rconsole-mcsim.1" |
	awk '{ for (i = 1; i < NF; i++) if (($i == "Fl" || $i == ".Fl") && $(i + 1) ~ /^-?[A-Za-z]/) print "-" $(i + 1) }' |
	sed 's/[^A-Za-z0-9-].*$//' | sort -u > "$W/mcsim-man.opts"
missing=$(comm -3 "$W/mcsim-help.opts" "$W/mcsim-man.opts")
[ -z "$missing" ] || fail "rconsole-mcsim --help and rconsole-mcsim(1) differ (left: help only, right: man only): $missing"

# The completions: the option words each one offers.
C="$TOP_SRCDIR/data/completions"
sed -n "/local opts='/,/'\$/p" "$C/rconsole" | sed "s/^.*opts='//" | options_in > "$W/bash.opts"
grep '^complete ' "$C/rconsole.fish" |
	awk '{ for (i = 1; i < NF; i++) { if ($i == "-s") print "-" $(i + 1); if ($i == "-l") print "--" $(i + 1) } }' |
	sort -u > "$W/fish.opts"
# zsh: each _arguments spec line, up to its description's '[', without the
# exclusion list in parentheses that opens it.
sed -n '/_arguments/,/^ *}/p' "$C/_rconsole" | grep "^ *'" | sed 's/\[.*//; s/^ *'"'"'([^)]*)//' |
	options_in > "$W/zsh.opts"
grep -o 'also --[A-Za-z-]*' "$W/help.txt" | sed 's/^also //' | sort -u > "$W/aliases"
for sh in bash zsh fish; do
	[ "$(wc -l < "$W/$sh.opts")" -ge 20 ] || fail "too few options found in the $sh completion: $(cat "$W/$sh.opts")"
	missing=$(comm -23 "$W/help.opts" "$W/$sh.opts" | comm -23 - "$W/aliases")
	[ -z "$missing" ] || fail "the $sh completion does not offer options --help lists: $missing"
	extra=$(comm -13 "$W/help.opts" "$W/$sh.opts")
	[ -z "$extra" ] || fail "the $sh completion offers options --help does not list: $extra"
done

echo "PASS: --help ($(wc -l < "$W/help.opts") options), rconsole(1), the README and the bash, zsh and fish completions agree; so do rconsole-mcsim's"

