/* test-client.c: the blocking client (client.h) and the adapter interface
 * (adapter.h) against a real mcsim process: byte-exact long replies, every
 * failure code and timeout, the read-only and length rules, the typed
 * helpers checked against mcsim's --log, reconnecting after a restart,
 * connections driven from a hand-written poll() loop through the hooks, and
 * the close reaping its tunnel's child — its own, not another thread's. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../support/mcsim.h"
#include "../support/pattern.h"
#include "rconsole/rconsole.h"
#include "tunnel-int.h"
#include "../support/files.h"

static mcsim sim;

/* Stops mcsim after each test. */
static void stop_sim(void)
{
	mcsim_stop(&sim);
}

TestSuite(client, .fini = stop_sim, .timeout = 60);

/* Starts mcsim with args and opens a client to it. */
static rc_client *open_sim(const char *const *args, char *portbuf)
{
	cr_assert_eq(mcsim_start(&sim, args), 0);
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], portbuf);
	int err = 1;
	rc_client *cl = rc_client_open(&o, &err);
	cr_assert_not_null(cl, "open: %s", rc_strerror(err));
	cr_assert_eq(err, 0);
	return cl;
}

Test(client, exec_returns_a_100000_character_reply_byte_exact)
{
	char port[16];
	rc_client *cl = open_sim(NULL, port);
	static const struct { const char *kind; const char *unit; } kinds[] = {
		{ "ascii", "a" }, { "latin", "\xc3\xa9" }, { "cjk", "\xe4\xb8\xad" },
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		char cmd[64];
		snprintf(cmd, sizeof cmd, "sim chars 100000 %s", kinds[k].kind);
		char *reply = NULL;
		size_t len = 0;
		cr_assert_eq(rc_client_exec(cl, cmd, &reply, &len), 0);
		size_t ul = strlen(kinds[k].unit);
		cr_assert_eq(len, 100000 * ul, "%s: %zu bytes", kinds[k].kind, len);
		cr_assert_eq(reply[len], '\0');
		for (size_t i = 0; i < len; i += ul)
			if (memcmp(reply + i, kinds[k].unit, ul) != 0)
				cr_assert_fail("%s: byte %zu differs", kinds[k].kind, i);
		free(reply);
	}
	char *reply;
	cr_assert_eq(rc_client_exec(cl, "sim echo a b  c", &reply, NULL), 0);
	cr_assert_str_eq(reply, "a b  c");
	free(reply);
	cr_assert_eq(rc_client_exec(cl, "say quiet", NULL, NULL), 0, "reply may be NULL");
	rc_client_close(cl);
	cr_assert_eq(mcsim_log_count(&sim, "sim chars 100000 ascii"), 1);
}

/* Long replies whose every byte tells its offset (`sim pattern`), in each
 * dialect's way of cutting them: a fragment lost, repeated or put out of
 * order in reassembly changes the bytes. */
Test(client, exec_reassembles_long_replies_in_order_in_every_dialect)
{
	static const char *const dialects[] = { "vanilla", "forge", "source" };
	static const long sizes[] = { 4096, 4097, 65536, 65537, 1048576 };
	for (size_t d = 0; d < sizeof dialects / sizeof dialects[0]; d++) {
		char port[16];
		rc_client *cl = open_sim((const char *const[]){ "--dialect", dialects[d], NULL }, port);
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			char cmd[48];
			snprintf(cmd, sizeof cmd, "sim pattern %ld", sizes[k]);
			char *reply = NULL;
			size_t len = 0;
			cr_assert_eq(rc_client_exec(cl, cmd, &reply, &len), 0, "%s %s", dialects[d], cmd);
			long at = pattern_diff(reply, len, (size_t)sizes[k]);
			cr_assert_eq(at, -1, "%s %s: %zu bytes, first wrong byte at %ld", dialects[d], cmd,
			    len, at);
			cr_assert_eq(reply[len], '\0');
			free(reply);
			cr_assert_eq(mcsim_log_count(&sim, cmd), 1, "%s %s sent once", dialects[d], cmd);
		}
		rc_client_close(cl);
		mcsim_stop(&sim);
	}
}

Test(client, wrong_password_is_eauth_and_never_retried)
{
	char port[16];
	const char *args[] = { "--password", "other", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	int err = 0;
	cr_assert_null(rc_client_open(&o, &err));
	cr_assert_eq(err, RC_EAUTH);
	mcsim_sleep_ms(300);
	cr_assert_eq(mcsim_log_count(&sim, "#auth-failed"), 1);
}

Test(client, refused_port_is_econnect)
{
	/* A bound socket that does not listen: connecting to it is refused. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	char port[16];
	rc_conn_opts o = mcsim_conn_opts(ntohs(sa.sin_port), port);
	int err = 0;
	cr_assert_null(rc_client_open(&o, &err));
	cr_assert_eq(err, RC_ECONNECT);
	close(fd);
}

Test(client, silent_listener_is_an_auth_timeout)
{
	/* The kernel completes the connect; nobody ever answers the login. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	cr_assert_eq(listen(fd, 4), 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	char port[16];
	rc_conn_opts o = mcsim_conn_opts(ntohs(sa.sin_port), port);
	o.auth_timeout_ms = 400;
	int err = 0;
	long long t0 = mcsim_now_ms();
	cr_assert_null(rc_client_open(&o, &err));
	long long took = mcsim_now_ms() - t0;
	cr_assert_eq(err, RC_ETIMEOUT);
	cr_assert_geq(took, 350);
	/* Only a hang fails this: the default auth timeout is 5 s, ours 0.4 s. */
	cr_assert_lt(took, 4500, "the auth timeout bounds the wait (%lld ms)", took);
	close(fd);
}

Test(client, bad_options_say_why)
{
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	int err = 0;
	cr_assert_null(rc_client_open(&o, &err));
	cr_assert_eq(err, RC_EINVAL, "no host");
	cr_assert_null(rc_client_open(NULL, &err));
	cr_assert_eq(err, RC_EINVAL);
	o.host = "no-such-host.invalid";
	cr_assert_null(rc_client_open(&o, &err));
	cr_assert(err == RC_ERESOLVE || err == RC_ETIMEOUT, "%s", rc_strerror(err));
}

Test(client, read_only_and_length_rules_refuse_before_sending)
{
	char port[16];
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.read_only = true;
	rc_client *cl = rc_client_open(&o, NULL);
	cr_assert_not_null(cl);
	char *reply = (char *)1;
	cr_assert_eq(rc_client_exec(cl, "op mallory", &reply, NULL), RC_EREADONLY);
	cr_assert_null(reply);
	cr_assert_eq(rc_client_op(cl, "mallory", NULL), RC_EREADONLY);
	cr_assert_eq(rc_client_exec(cl, "say a\nop mallory", NULL, NULL), RC_EINVAL);
	char big[1500];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "say ", 4);
	cr_assert_eq(rc_client_exec(cl, big, NULL, NULL), RC_ETOOLONG);
	cr_assert_eq(rc_client_exec(cl, "list", &reply, NULL), 0);
	free(reply);
	rc_client_close(cl);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "list\n", "only the allowed command reached the server");
	free(log);
}

Test(client, command_timeout_then_reconnect_without_resending)
{
	char port[16];
	const char *args[] = { "--hang-after", "1", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.command_timeout_ms = 500;
	rc_client *cl = rc_client_open(&o, NULL);
	cr_assert_not_null(cl);
	char *reply;
	cr_assert_eq(rc_client_exec(cl, "seed", &reply, NULL), 0);
	free(reply);
	long long t0 = mcsim_now_ms();
	cr_assert_eq(rc_client_exec(cl, "say lost", &reply, NULL), RC_ETIMEOUT);
	long long took = mcsim_now_ms() - t0;
	/* Only a hang fails this: the default command timeout is 10 s, ours 0.5 s. */
	cr_assert_lt(took, 8000, "%lld ms", took);
	const char *cause;
	cr_assert_eq(rc_client_last_error(cl, &cause), RC_ETIMEOUT);
	cr_assert_not_null(cause);
	/* A new connection (hang-after counts per connection) answers again. */
	cr_assert_eq(rc_client_exec(cl, "sim echo back", &reply, NULL), 0);
	cr_assert_str_eq(reply, "back");
	free(reply);
	rc_client_close(cl);
	cr_assert_eq(mcsim_log_count(&sim, "say lost"), 1, "written once, never resent");
}

Test(client, server_restart_between_commands_reconnects_first)
{
	char port[16];
	rc_client *cl = open_sim(NULL, port);
	char *reply;
	cr_assert_eq(rc_client_exec(cl, "seed", &reply, NULL), 0);
	free(reply);
	int p = sim.ports[0];
	mcsim_stop(&sim);
	cr_assert_eq(mcsim_start_on(&sim, p, NULL), 0);
	cr_assert_eq(rc_client_exec(cl, "sim echo again", &reply, NULL), 0);
	cr_assert_str_eq(reply, "again");
	free(reply);
	rc_client_close(cl);
}

Test(client, typed_helpers_send_exactly_the_built_commands)
{
	char port[16];
	const char *args[] = { "--players", "3", "--seed", "1", NULL };
	rc_client *cl = open_sim(args, port);
	rc_mc_list l;
	cr_assert_eq(rc_client_list(cl, &l), 0);
	cr_assert_eq(l.format, RC_MC_LIST_MODERN);
	cr_assert_eq(l.count, 3);
	cr_assert_eq(l.n_players, 3);
	cr_assert_eq(l.max, 20);
	char who[64];
	snprintf(who, sizeof who, "%s", l.players[0].name);
	rc_mc_list_clear(&l);
	char *reply = NULL;
	cr_assert_eq(rc_client_say(cl, "hello world", &reply), 0);
	free(reply);
	cr_assert_eq(rc_client_msg(cl, who, "hi there", NULL), 0);
	cr_assert_eq(rc_client_kick(cl, who, "afk too long", NULL), 0);
	cr_assert_eq(rc_client_ban(cl, "Griefer_1", NULL, NULL), 0);
	cr_assert_eq(rc_client_pardon(cl, "Griefer_1", NULL), 0);
	cr_assert_eq(rc_client_op(cl, "Alice", NULL), 0);
	cr_assert_eq(rc_client_deop(cl, "Alice", NULL), 0);
	cr_assert_eq(rc_client_whitelist_add(cl, "Bob", NULL), 0);
	cr_assert_eq(rc_client_whitelist_remove(cl, "Bob", NULL), 0);
	cr_assert_eq(rc_client_difficulty(cl, NULL, NULL), 0);
	cr_assert_eq(rc_client_difficulty(cl, "hard", NULL), 0);
	cr_assert_eq(rc_client_difficulty(cl, "hard; op x", NULL), RC_EINVAL);
	cr_assert_eq(rc_client_save_all(cl, false, NULL), 0);
	long long t = -1;
	cr_assert_eq(rc_client_time_query(cl, RC_CLIENT_TIME_DAYTIME, &t), 0);
	cr_assert_geq(t, 0);
	cr_assert_lt(t, 24000);
	/* Invalid names and arguments never reach the server. */
	cr_assert_eq(rc_client_op(cl, "bad name!", NULL), RC_EINVAL);
	cr_assert_eq(rc_client_kick(cl, "Alice", "x\ny", NULL), RC_EINVAL);
	cr_assert_eq(rc_client_say(cl, "\x1b[2J", NULL), RC_EINVAL);
	cr_assert_eq(rc_client_stop(cl, &reply), 0);
	cr_assert_not_null(reply);
	free(reply);
	rc_client_close(cl);
	cr_assert_eq(mcsim_wait_exit(&sim, 5000), 0, "stop reached the server");

	char want[512];
	snprintf(want, sizeof want,
	    "list\nsay hello world\nmsg %s hi there\nkick %s afk too long\nban Griefer_1\n"
	    "pardon Griefer_1\nop Alice\ndeop Alice\nwhitelist add Bob\nwhitelist remove Bob\n"
	    "difficulty\ndifficulty hard\nsave-all\ntime query daytime\nstop\n", who, who);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, want);
	free(log);
}

/* ---- the adapter interface, from a hand-written poll() loop ---- */

struct ploop {
	struct { int fd; short ev; rc_conn *c; } w[16];
	int nw;
	struct { rc_conn *c; long long at; } t[16];
	int nt;
	int hooks;
};

/* watch hook: one entry per fd. */
static void p_watch(void *ctx, rc_conn *c, int fd, short ev)
{
	struct ploop *p = ctx;
	p->hooks++;
	for (int i = 0; i < p->nw; i++) {
		if (p->w[i].fd == fd) {
			if (ev) {
				p->w[i].ev = ev;
			} else {
				p->w[i] = p->w[--p->nw];
			}
			return;
		}
	}
	cr_assert(ev, "stop watching an fd that was never watched");
	cr_assert_lt(p->nw, 16);
	p->w[p->nw].fd = fd;
	p->w[p->nw].ev = ev;
	p->w[p->nw].c = c;
	p->nw++;
}

/* timer hook: one entry per connection. */
static void p_timer(void *ctx, rc_conn *c, int64_t ms)
{
	struct ploop *p = ctx;
	p->hooks++;
	for (int i = 0; i < p->nt; i++)
		if (p->t[i].c == c)
			p->t[i] = p->t[--p->nt];
	if (ms >= 0) {
		p->t[p->nt].c = c;
		p->t[p->nt].at = mcsim_now_ms() + ms;
		p->nt++;
	}
}

/* Runs one pass of the hand-written loop. */
static void p_run(struct ploop *p, int max_ms)
{
	struct pollfd pf[16];
	rc_conn *pc[16];
	int n = p->nw;
	for (int i = 0; i < n; i++) {
		pf[i] = (struct pollfd){ .fd = p->w[i].fd, .events = p->w[i].ev };
		pc[i] = p->w[i].c;
	}
	long long now = mcsim_now_ms();
	int wait = max_ms;
	for (int i = 0; i < p->nt; i++)
		if (p->t[i].at - now < wait)
			wait = p->t[i].at - now < 0 ? 0 : (int)(p->t[i].at - now);
	poll(pf, (nfds_t)n, wait);
	for (int i = 0; i < n; i++)
		if (pf[i].revents)
			rc_conn_handle_io(pc[i], pf[i].fd, pf[i].revents);
	now = mcsim_now_ms();
	for (int i = 0; i < p->nt; i++) {
		if (p->t[i].at <= now) {
			rc_conn *c = p->t[i].c;
			p->t[i] = p->t[--p->nt];
			rc_conn_handle_timer(c);
			i = -1;   /* the table changed */
		}
	}
}

struct a_seen {
	int replies;
	char body[3][64];
};

/* Records the replies of the adapter-driven connections. */
static void a_on_event(rc_conn *c, const rc_event *ev, void *arg)
{
	struct a_seen *s = arg;
	if (ev->type == RC_EV_REPLY && ev->status == 0 && s->replies < 3)
		snprintf(s->body[s->replies++], 64, "%s", ev->body);
}

Test(client, adapter_drives_connections_from_a_foreign_loop)
{
	const char *args[] = { "--servers", "3", NULL };
	cr_assert_eq(mcsim_start(&sim, args), 0);
	struct ploop p = { .nw = 0 };
	rc_adapter ad = { sizeof ad, p_watch, p_timer };
	rc_conn *c[3];
	struct a_seen seen = { 0 };
	char port[3][16];
	for (int i = 0; i < 3; i++) {
		rc_conn_opts o = mcsim_conn_opts(sim.ports[i], port[i]);
		o.host = i == 0 ? "localhost" : "127.0.0.1";   /* one through the resolver thread */
		int err = 1;
		c[i] = rc_conn_new_adapter(&ad, &p, &o, a_on_event, &seen, &err);
		cr_assert_not_null(c[i]);
		cr_assert_eq(err, 0);
		cr_assert_eq(rc_conn_start(c[i]), 0);
	}
	long long end = mcsim_now_ms() + 10000;
	int sent = 0;
	while (seen.replies < 3 && mcsim_now_ms() < end) {
		p_run(&p, 100);
		for (int i = 0; i < 3; i++) {
			if (!(sent & (1 << i)) && rc_conn_state(c[i]) == RC_STATE_READY) {
				char cmd[32];
				snprintf(cmd, sizeof cmd, "sim echo server %d", i);
				cr_assert_eq(rc_conn_send(c[i], cmd, NULL, NULL), 0);
				sent |= 1 << i;
			}
		}
	}
	cr_assert_eq(seen.replies, 3);
	for (int i = 0; i < 3; i++)
		rc_conn_free(c[i]);
	cr_assert_eq(p.nw, 0, "every descriptor unwatched after free");
	cr_assert_eq(p.nt, 0, "every timer cancelled after free");
	rc_adapter bad = { sizeof bad, p_watch, NULL };
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port[0]);
	int err = 0;
	cr_assert_null(rc_conn_new_adapter(&bad, &p, &o, a_on_event, &seen, &err));
	cr_assert_eq(err, RC_EINVAL);
}

Test(client, rc_conn_new_err_says_why)
{
	rc_loop *l = rc_loop_new();
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	int err = 0;
	cr_assert_null(rc_conn_new_err(l, &o, NULL, NULL, &err));
	cr_assert_eq(err, RC_EINVAL, "no host");
	o.host = "127.0.0.1";
	cr_assert_null(rc_conn_new_err(NULL, &o, NULL, NULL, &err));
	cr_assert_eq(err, RC_EINVAL, "no loop");
	o.fragments = (rc_frag_mode)9;
	cr_assert_null(rc_conn_new_err(l, &o, NULL, NULL, &err));
	cr_assert_eq(err, RC_EINVAL, "unknown fragment mode");
	o.fragments = RC_FRAG_AUTO;
	static char pw[1500];
	memset(pw, 'p', sizeof pw - 1);
	o.password = pw;
	cr_assert_null(rc_conn_new_err(l, &o, NULL, NULL, &err));
	cr_assert_eq(err, RC_ETOOLONG, "a password longer than one packet");
	o.password = "pw";
	rc_conn *c = rc_conn_new_err(l, &o, NULL, NULL, &err);
	cr_assert_not_null(c);
	cr_assert_eq(err, 0);
	rc_conn_free(c);
	rc_loop_free(l);
}

/* Returns true once pid is gone: neither running nor a zombie of ours. */
static bool pid_gone(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	return access(path, F_OK) != 0;
}

/* rc_client_close leaves no tunnel child behind, not even one deaf to
 * SIGTERM: the blocking close waits for the reap (SIGKILL a second on). */
Test(client, close_reaps_its_tunnel_child_even_one_deaf_to_sigterm)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char pidfile[300], cmd[700], port[16];
	snprintf(pidfile, sizeof pidfile, "%s/tunnel.pid", sim.dir);
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	/* sh stays the child (no exec), ignores SIGTERM and relays with socat. */
	snprintf(cmd, sizeof cmd, "sh -c 'echo $$ > %s; trap \"\" TERM; socat - TCP:127.0.0.1:%%p; "
	    "sleep 30'", pidfile);
	rc_conn_opts o = mcsim_conn_opts(sim.ports[0], port);
	o.proxy_command = cmd;
	int err = 0;
	rc_client *cl = rc_client_open(&o, &err);
	cr_assert_not_null(cl, "open through the tunnel: %d", err);
	char *reply = NULL;
	size_t len = 0;
	cr_assert_eq(rc_client_exec(cl, "list", &reply, &len), 0, "a reply through the tunnel");
	cr_assert(reply && strstr(reply, "players online"), "%s", reply ? reply : "(none)");
	free(reply);
	FILE *f = fopen(pidfile, "r");
	cr_assert_not_null(f);
	int pid = 0;
	cr_assert_eq(fscanf(f, "%d", &pid), 1);
	fclose(f);
	cr_assert(pid > 0 && !pid_gone(pid), "the tunnel's child runs");
	rc_client_close(cl);
	cr_assert(pid_gone(pid), "child %d still there (running or a zombie) after close", pid);
	unlink(pidfile);
}

/* Another program thread's tunnel connection, on its own loop: its child
 * ignores SIGTERM and lingers after the connection stops. */
struct other {
	rc_loop *loop;
	rc_conn *c;
	atomic_int step;      /* 1 ready, 2 stop it (main), 3 stopped, 4 done (main), -1 failed */
};

/* Waits, serving o's loop, until o->step is want (false after 10 s). */
static bool other_wait(struct other *o, int want)
{
	long long until = mcsim_now_ms() + 10000;
	while (atomic_load(&o->step) != want && mcsim_now_ms() < until)
		rc_loop_run_once(o->loop, 10);
	return atomic_load(&o->step) == want;
}

/* The other thread: logs in, stops when told (its child then lingers,
 * pending), and keeps serving its loop — whose timer SIGKILLs the child
 * a second after the stop — until the main thread is done. */
static void *other_run(void *arg)
{
	struct other *o = arg;
	long long until = mcsim_now_ms() + 10000;
	while (rc_conn_state(o->c) != RC_STATE_READY && mcsim_now_ms() < until)
		rc_loop_run_once(o->loop, 10);
	if (rc_conn_state(o->c) != RC_STATE_READY) {
		atomic_store(&o->step, -1);
		return NULL;
	}
	atomic_store(&o->step, 1);
	if (!other_wait(o, 2)) {
		atomic_store(&o->step, -1);
		return NULL;
	}
	rc_conn_stop(o->c);
	atomic_store(&o->step, 3);
	other_wait(o, 4);
	return NULL;
}

/* rc_client_close waits for its own tunnel's child only: another thread's
 * child, deaf to SIGTERM and killed by that thread's loop a second after
 * its connection stopped, is still there when the close returns. */
Test(client, close_waits_for_its_own_tunnel_child_only)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char pid_a[300], pid_b[300], cmd_a[900], cmd_b[900], port_a[16], port_b[16];
	snprintf(pid_a, sizeof pid_a, "%s/a.pid", sim.dir);
	snprintf(pid_b, sizeof pid_b, "%s/b.pid", sim.dir);
	snprintf(cmd_a, sizeof cmd_a, "sh -c 'echo $$ > %s; trap \"\" TERM; "
	    "socat - TCP:127.0.0.1:%%p; sleep 30'", pid_a);
	snprintf(cmd_b, sizeof cmd_b, "sh -c 'echo $$ > %s; exec socat - TCP:127.0.0.1:%%p'",
	    pid_b);
	/* The other thread's connection comes first: the client's loop, made
	 * later, is then the one SIGCHLD wakes (one self-pipe per process). */
	struct other o = { .loop = rc_loop_new() };
	cr_assert_not_null(o.loop);
	rc_conn_opts oa = mcsim_conn_opts(sim.ports[0], port_a);
	oa.proxy_command = cmd_a;
	o.c = rc_conn_new(o.loop, &oa, NULL, NULL);
	cr_assert_not_null(o.c);
	cr_assert_eq(rc_conn_start(o.c), 0);
	atomic_init(&o.step, 0);
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, other_run, &o), 0);
	long long until = mcsim_now_ms() + 10000;
	while (atomic_load(&o.step) == 0 && mcsim_now_ms() < until)
		mcsim_sleep_ms(5);

	rc_conn_opts ob = mcsim_conn_opts(sim.ports[0], port_b);
	ob.proxy_command = cmd_b;
	int err = 0;
	rc_client *cl = atomic_load(&o.step) == 1 ? rc_client_open(&ob, &err) : NULL;
	char *reply = NULL;
	int rc = cl ? rc_client_exec(cl, "list", &reply, NULL) : -1;
	free(reply);
	/* The other thread stops its connection: its child gets SIGTERM and
	 * lingers; the client closes at once after. */
	atomic_store(&o.step, 2);
	while (atomic_load(&o.step) == 2 && mcsim_now_ms() < until)
		mcsim_sleep_ms(1);
	int a = (int)files_read_number(pid_a), b = (int)files_read_number(pid_b);
	bool a_there = a > 0 && kill(a, 0) == 0;
	rc_client_close(cl);
	bool a_after = a > 0 && kill(a, 0) == 0;
	bool b_gone = b > 0 && pid_gone(b);
	atomic_store(&o.step, 4);
	pthread_join(th, NULL);
	rc_conn_free(o.c);
	rc_loop_free(o.loop);

	cr_assert_not_null(cl, "open through the tunnel: %d", err);
	cr_assert_eq(rc, 0, "a reply through the tunnel");
	cr_assert(a > 0 && b > 0, "no pid from a child: %d %d", a, b);
	cr_assert(a_there, "the other child was gone before the close");
	cr_assert(b_gone, "the client's own child %d still there after close", b);
	cr_assert(a_after, "the close waited for the other thread's child %d", a);
	/* The other child still goes: killed (a second after its SIGTERM) and
	 * reaped, not left a zombie. */
	until = mcsim_now_ms() + 10000;
	while (!pid_gone(a) && mcsim_now_ms() < until) {
		tunnel_reap_all();
		mcsim_sleep_ms(10);
	}
	cr_assert(pid_gone(a), "the other child %d never went", a);
	cr_assert_eq(tunnel_unreaped(), 0);
	unlink(pid_a);
	unlink(pid_b);
}
