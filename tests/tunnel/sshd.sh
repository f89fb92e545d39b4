# sshd.sh: a real OpenSSH server for the tunnel tests, on a loopback port,
# with its own host key, a client key pair (and a second key it does not
# accept), authorized_keys and known_hosts, all in the test's directory.
# Source it after tests/tui/lib.sh and call sshd_setup, then sshd_start.
#
# A missing sshd, ssh, ssh-keygen or socat fails the test (./bootstrap
# installs openssh-server, openssh-client and socat): it is never skipped.
#
# Sets SSH_DIR, SSH_PORT, SSH_USER, SSH_DEST (user@127.0.0.1), SSH_OPTS (the
# ssh_options items for a profile, as libconfig text) and SSH_ARGS (the same
# as words for a command line).

SSHD_PID=
SSHD=/usr/sbin/sshd

# Prints "pid ppid state" for every process.
proc_table() {
	for st in /proc/[0-9]*/stat; do
		sed -n 's/^\([0-9]*\) .*) \([A-Za-z]\) \([0-9]*\) .*/\1 \3 \2/p' "$st" 2>/dev/null
	done
}

# Prints the pids of every descendant of pid $1.
descendants() {
	proc_table | awk -v root="$1" '{ par[$1] = $2 }
	    END { for (p in par) { q = p; while ((q in par) && q != root && q > 1) q = par[q];
	          if (q == root && p != root) print p } }'
}

# Stops sshd and every session process it started.
sshd_stop() {
	[ -n "$SSHD_PID" ] || return 0
	kids=$(descendants "$SSHD_PID")
	kill "$SSHD_PID" $kids 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=
}

# Checks the tools, makes the keys and the configuration, installs the trap.
sshd_setup() {
	for t in "$SSHD" ssh ssh-keygen socat ss; do
		command -v "$t" >/dev/null 2>&1 ||
			fail "$t is missing: the tunnel tests need openssh-server, openssh-client, socat and iproute2 (run ./bootstrap)"
	done
	trap 'rc=$?; sshd_stop; tui_cleanup; exit $rc' EXIT
	SSH_DIR="$W/ssh"
	mkdir -p "$SSH_DIR"
	chmod 700 "$SSH_DIR"
	for k in host_key id wrong; do
		ssh-keygen -q -t ed25519 -N '' -C "rconsole-test-$k" -f "$SSH_DIR/$k" ||
			fail "ssh-keygen $k"
	done
	cp "$SSH_DIR/id.pub" "$SSH_DIR/authorized_keys"
	SSH_USER=$(id -un)
	SSH_DEST="$SSH_USER@127.0.0.1"
	SSH_PORT=$(free_port) ||
		fail "no free port"
	cat > "$SSH_DIR/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_key
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
AllowTcpForwarding yes
MaxStartups 100
LogLevel DEBUG1
CONF
	# The privilege separation directory sshd insists on when root.
	[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
	ssh_options_for "$SSH_DIR/id"
}

# Sets SSH_OPTS and SSH_ARGS for the key file $1 (and known_hosts file $2,
# default $SSH_DIR/known_hosts, accepting a new host key).
ssh_options_for() {
	kh=${2:-$SSH_DIR/known_hosts}
	SSH_ARGS="-F none -o UserKnownHostsFile=$kh -o StrictHostKeyChecking=accept-new -o IdentitiesOnly=yes -i $1 -p $SSH_PORT"
	SSH_OPTS=
	for a in $SSH_ARGS; do
		SSH_OPTS="$SSH_OPTS${SSH_OPTS:+, }\"$a\""
	done
}

# Starts sshd (again) on SSH_PORT and waits until it listens.
sshd_start() {
	before=$(grep -c 'Server listening on' "$W/sshd.log" 2>/dev/null || echo 0)
	"$SSHD" -D -f "$SSH_DIR/sshd_config" -e 2>> "$W/sshd.log" &
	SSHD_PID=$!
	i=0
	while [ "$(grep -c 'Server listening on' "$W/sshd.log")" -le "$before" ]; do
		kill -0 "$SSHD_PID" 2>/dev/null || fail "sshd did not start: $(tail -n 5 "$W/sshd.log")"
		i=$((i + 1))
		[ $i -gt $((TUI_WAIT * 20)) ] && fail "sshd does not listen"
		sleep 0.05
	done
}

# Prints how many lines of sshd's log match the extended regex $1.
sshd_count() {
	grep -Ec -- "$1" "$W/sshd.log"
}

# Waits until sshd's log has a line matching the extended regex $1 (the
# session processes log through the listener: it may come a little late).
sshd_wait_log() {
	SSHD_RE=$1
	wait_for 'grep -Eq -- "$SSHD_RE" "$W/sshd.log"' "sshd's log to show /$1/"
}

# Prints the zombie children of pid $1 (state Z in /proc/N/stat).
zombies_of() {
	proc_table | awk -v p="$1" '$2 == p && $3 == "Z" { print $1 }'
}

# Prints the children of pid $1.
children_of() {
	proc_table | awk -v p="$1" '$2 == p { print $1 }'
}
