#!/bin/sh
# completion-bash.sh: the bash completion (data/completions/rconsole),
# sourced in a real bash, completes options, option values, and profile
# names and tags read through `rconsole --list-profiles --names/--tags` from
# a test configuration; with bash-completion's library loaded (as installed)
# and without it (sourced alone).
set -eu
: "${TOP_SRCDIR:=.}" "${RCONSOLE:=./rconsole}"
COMPLETION="$TOP_SRCDIR/data/completions/rconsole"
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
command -v bash >/dev/null 2>&1 || fail "bash is not installed"
[ -r "$COMPLETION" ] || fail "no $COMPLETION"

W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-compl.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
CFG="$W/rconsole.conf"
cat > "$CFG" <<'CONF'
servers = (
  { name = "survival"; host = "mc1.example"; tags = [ "prod", "eu" ]; },
  { name = "lobby"; host = "mc2.example"; tags = [ "prod" ]; },
  { name = "creative"; host = "mc3.example"; tags = [ "test" ]; }
);
CONF
chmod 600 "$CFG"
# The same configuration in a directory whose name has a space.
mkdir -m 700 "$W/my dir"
SPACED="$W/my dir/rconsole.conf"
cp "$CFG" "$SPACED"
# Keep the user's own configuration out of it.
export HOME="$W" XDG_CONFIG_HOME="$W/none"
unset RCONSOLE_CONFIG || true

BASH_COMPLETION_LIB=
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
	[ -r "$f" ] && { BASH_COMPLETION_LIB=$f; break; }
done

# complete MODE WORD... : prints the candidates for the last WORD, one a line,
# sorted.  MODE is "lib" (bash-completion loaded) or "bare".  The words are
# given as bash splits them (an '=' is a word of its own).
complete_words() {
	mode=$1
	shift
	bash --norc --noprofile -c '
		mode=$1 lib=$2 file=$3; shift 3
		if [ "$mode" = lib ]; then . "$lib"; fi
		. "$file"
		COMP_WORDS=("$@")
		COMP_CWORD=$(( $# - 1 ))
		COMP_LINE=""
		for ((i = 0; i < $#; i++)); do
			w=${COMP_WORDS[i]}
			if [[ $w == = || ${COMP_WORDS[i-1]} == = ]] && ((i > 0)); then
				COMP_LINE+=$w
			else
				COMP_LINE+="${COMP_LINE:+ }$w"
			fi
		done
		COMP_POINT=${#COMP_LINE}
		_rconsole "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$mode" "$BASH_COMPLETION_LIB" "$COMPLETION" "$@"
}

# expect MODE WANT WORD... : the candidates must be exactly WANT (one a line).
expect() {
	mode=$1 want=$2
	shift 2
	got=$(complete_words "$mode" "$@") || fail "bash failed on: $*"
	[ "$got" = "$want" ] || fail "[$mode] '$*': expected [$want], got [$got]"
}

run_cases() {
	m=$1
	expect "$m" "--color=" "$RCONSOLE" --col
	expect "$m" "--status" "$RCONSOLE" --stat
	expect "$m" "survival" "$RCONSOLE" --config "$CFG" su
	expect "$m" "creative" "$RCONSOLE" --config "$CFG" --tag prod cr
	expect "$m" "$(printf 'creative\nlobby\nsurvival')" "$RCONSOLE" --config "$CFG" ""
	expect "$m" "prod" "$RCONSOLE" --config "$CFG" --tag p
	expect "$m" "$(printf 'eu\nprod\ntest')" "$RCONSOLE" --config "$CFG" --tag ""
	expect "$m" "$(printf 'always\nauto')" "$RCONSOLE" --color = a
	expect "$m" "source" "$RCONSOLE" --dialect s
	expect "$m" "force" "$RCONSOLE" --raw = f
	# RCONSOLE_CONFIG is rconsole's business: the completion just asks it.
	got=$(RCONSOLE_CONFIG="$CFG" complete_words "$m" "$RCONSOLE" lo)
	[ "$got" = lobby ] || fail "[$m] RCONSOLE_CONFIG: expected lobby, got [$got]"
	# A --config path as typed: quoted or with backslashes, the quoting is
	# taken off as the shell will (and nothing in it is run).
	expect "$m" "survival" "$RCONSOLE" --config "\"$SPACED\"" su
	expect "$m" "survival" "$RCONSOLE" --config "'$SPACED'" su
	expect "$m" "survival" "$RCONSOLE" --config "$(printf '%s' "$SPACED" | sed 's/ /\\ /')" su
	expect "$m" "survival" "$RCONSOLE" --config = "\"$SPACED\"" su
	expect "$m" "" "$RCONSOLE" --config "\"\$(touch $W/ran)\"" su
	[ ! -e "$W/ran" ] || fail "[$m] completing ran a command substitution of the line"
	# After -H the words are server commands: no profile names.
	expect "$m" "" "$RCONSOLE" --config "$CFG" -H mc.example su
	# A broken configuration completes nothing (and says nothing).
	echo 'servers = ( { name = ' > "$W/bad.conf"
	expect "$m" "" "$RCONSOLE" --config "$W/bad.conf" su
}

run_cases bare
if [ -n "$BASH_COMPLETION_LIB" ]; then
	run_cases lib
else
	echo "note: bash-completion is not installed; checked the completion alone" >&2
fi
echo "PASS: bash completion"
