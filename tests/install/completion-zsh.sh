#!/bin/sh
# completion-zsh.sh: the zsh completion (data/completions/_rconsole), loaded
# by compinit from fpath in an interactive zsh on a pseudo-terminal (zpty),
# completes an option, an option value, a profile name and a tag read
# through `rconsole --list-profiles --names/--tags`.  A key bound to a widget
# writes the line after each Tab to a file, which the test polls with a
# deadline.  Fails (99, a hard error) when zsh is not installed.
set -eu
: "${TOP_SRCDIR:=.}" "${RCONSOLE:=./rconsole}"
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
command -v zsh >/dev/null 2>&1 || { echo "FAIL: zsh is not installed (apt-get install zsh; ./bootstrap installs it)"; exit 99; }

W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-zsh.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
CFG="$W/rconsole.conf"
cat > "$CFG" <<'CONF'
servers = (
  { name = "survival"; host = "mc1.example"; tags = [ "prod" ]; },
  { name = "lobby"; host = "mc2.example"; tags = [ "test" ]; }
);
CONF
chmod 600 "$CFG"
mkdir "$W/bin"
ln -s "$(cd "$(dirname "$RCONSOLE")" && pwd)/$(basename "$RCONSOLE")" "$W/bin/rconsole"
COMPDIR=$(cd "$TOP_SRCDIR/data/completions" && pwd)

cat > "$W/drive.zsh" <<'ZSH'
# Drives an interactive zsh on a pty: each case types a line, Tab, then
# C-x C-d (dump: the line to a file) and C-u (clear the line).
zmodload zsh/zpty || exit 1
export HOME=$W XDG_CONFIG_HOME=$W/none PATH=$W/bin:$PATH
unset RCONSOLE_CONFIG
zpty z zsh -f -i
zpty -w z "fpath=($COMPDIR \$fpath); autoload -Uz compinit; compinit -u -d $W/zcompdump"
zpty -w z "dump() { print -r -- \"\$BUFFER\" >| $W/line.\$((++n)) }; n=0; zle -N dump; bindkey '^X^D' dump"
fails=0 i=0
# dump: sends C-x C-d until the line is written to line.N (a key typed
# while zsh is still busy with the first completion can be dropped, so it
# is sent again), then C-u; sets got to the line, or fails after 20 s.
dump() {
	local junk deadline=$(( SECONDS + 20 )) next=0
	(( ++i ))
	while [[ ! -s $W/line.$i ]]; do
		(( SECONDS > deadline )) && return 1
		if (( SECONDS >= next )); then
			[[ -s $W/line.$i ]] || zpty -w -n z $'\x18\x04'
			next=$(( SECONDS + 2 ))
		fi
		zpty -r -t z junk   # keep the pty drained
		sleep 0.1
	done
	zpty -w -n z $'\x15'
	got=$(<$W/line.$i)
}
# The shell is ready (compinit done) once a dump comes back.
zpty -w -n z "ready"
dump && [[ $got == ready ]] || { print -u2 "zsh did not start"; exit 1 }
# check TYPED WANT: Tab after TYPED must leave the line WANT.
check() {
	zpty -w -n z "$1"$'\t'
	dump || { print -u2 "timed out on: $1"; (( ++fails )); return }
	[[ $got == "$2" ]] || { print -u2 "'$1': expected [$2], got [$got]"; (( ++fails )) }
}
check "rconsole --stat" "rconsole --status "
check "rconsole --config $CFG su" "rconsole --config $CFG survival "
check "rconsole --config $CFG --tag t" "rconsole --config $CFG --tag test "
check "rconsole --dialect s" "rconsole --dialect source "
zpty -d z
exit $(( fails > 0 ))
ZSH
W="$W" CFG="$CFG" COMPDIR="$COMPDIR" timeout 120 zsh -f "$W/drive.zsh" || fail "zsh completion (see above)"
echo "PASS: zsh completion"
