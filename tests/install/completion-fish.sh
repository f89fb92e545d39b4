#!/bin/sh
# completion-fish.sh: the fish completion (data/completions/rconsole.fish)
# completes options, option values, and profile names and tags read through
# `rconsole --list-profiles --names/--tags`, asked of a real fish with
# `complete -C`.  Fails (99, a hard error) when fish is not installed.
set -eu
: "${TOP_SRCDIR:=.}" "${RCONSOLE:=./rconsole}"
COMPLETION="$TOP_SRCDIR/data/completions/rconsole.fish"
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
command -v fish >/dev/null 2>&1 || { echo "FAIL: fish is not installed (apt-get install fish; ./bootstrap installs it)"; exit 99; }

W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-fish.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
CFG="$W/rconsole.conf"
cat > "$CFG" <<'CONF'
servers = (
  { name = "survival"; host = "mc1.example"; tags = [ "prod", "eu" ]; },
  { name = "lobby"; host = "mc2.example"; tags = [ "prod" ]; }
);
CONF
chmod 600 "$CFG"
export HOME="$W" XDG_CONFIG_HOME="$W/none" XDG_DATA_HOME="$W/data"
unset RCONSOLE_CONFIG || true
# fish runs "rconsole" by the name on the line: put the one under test first.
mkdir "$W/bin"
ln -s "$(cd "$(dirname "$RCONSOLE")" && pwd)/$(basename "$RCONSOLE")" "$W/bin/rconsole"
export PATH="$W/bin:$PATH"

# expect WANT LINE: the candidates (without descriptions, sorted) for LINE.
expect() {
	got=$(fish --no-config -c "source '$COMPLETION'; complete -C '$2'" | cut -f1 | sort) ||
		fail "fish failed on: $2"
	[ "$got" = "$1" ] || fail "'$2': expected [$1], got [$got]"
}

# An option with an optional value is offered as itself and with its '='.
expect "$(printf -- '--color\n--color=')" "rconsole --col"
expect "$(printf -- '--color=always\n--color=auto\n--color=never')" "rconsole --color="
expect "survival" "rconsole --config $CFG su"
expect "$(printf 'eu\nprod')" "rconsole --config $CFG --tag "
expect "source" "rconsole --dialect s"
# --color and --raw take their value only after '=' (getopt's optional
# argument): the word after "--color " is a profile, never a value.
expect "$(printf 'lobby\nsurvival')" "rconsole --config $CFG --color "
expect "" "rconsole --config $CFG --color nev"
expect "--raw=force" "rconsole --raw="
expect "" "rconsole --config $CFG -H mc.example su"
echo "PASS: fish completion"
