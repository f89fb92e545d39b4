/* sim.c: one simulated server — listening socket, accepted connections,
 * churn and reap timers, and the public sim_server_* API of sim.h.
 *
 * Connections closed during a pass (by a callback of their own, or by `stop`)
 * go to a graveyard and are freed from a zero-delay timer on a later pass, so
 * no object is ever freed from inside its own callback. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "sim/sim-int.h"

#define SIM_DEFAULT_PASSWORD "secret"
#define SIM_DEFAULT_BIND "127.0.0.1"
#define SIM_DEFAULT_MAX 20
#define SIM_BACKLOG 50          /* vanilla's listen backlog */
#define SIM_MAX_CONNS 1024      /* beyond this, new connections are closed at once */
#define SIM_TICK_MS 50
#define SIM_ACCEPT_PAUSE_MS 100 /* out of descriptors: wait before accepting again */

/* Fills opts with the defaults. */
void sim_opts_init(sim_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_players = SIM_DEFAULT_MAX;
	o->hang_after = -1;
	o->drop_after = -1;
}

/* Frees the connections waiting in the graveyard. */
static void server_reap_graveyard(sim_server *s)
{
	while (s->graveyard) {
		sim_conn *c = s->graveyard;
		s->graveyard = c->next;
		sim_conn_free(c);
	}
}

/* Timer: frees closed connections and finishes a stop when all are gone. */
static int64_t server_on_reap(rc_loop *loop, void *arg)
{
	sim_server *s = arg;
	s->reap_timer = 0;
	server_reap_graveyard(s);
	if (s->stopping && !s->stopped && !s->conns) {
		s->stopped = true;
		if (s->opts.on_stop)
			s->opts.on_stop(s, s->opts.stop_arg);
	}
	return RC_TIMER_DONE;
}

/* Arms the reap timer unless it is already armed. */
static void server_want_reap(sim_server *s)
{
	if (!s->reap_timer)
		s->reap_timer = rc_loop_add_timer(s->loop, 0, server_on_reap, s);
}

/* Moves a closed connection from the open list to the graveyard. */
void sim_server_bury(sim_server *s, sim_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = NULL;
	c->next = s->graveyard;
	s->graveyard = c;
	s->n_conns--;
	server_want_reap(s);
}

/* Timer: watches the listener again after running out of descriptors. */
static int64_t server_on_accept_pause(rc_loop *loop, void *arg)
{
	sim_server *s = arg;
	s->accept_timer = 0;
	if (s->lfd >= 0)
		rc_loop_mod_fd(loop, s->lfd, POLLIN);
	return RC_TIMER_DONE;
}

/* Accepts every pending connection on the listener. */
static void server_on_accept(rc_loop *loop, int fd, int revents, void *arg)
{
	sim_server *s = arg;
	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)) {
			/* The connection stays queued and the listener readable: stop
			 * watching it for a moment rather than spin on it. */
			rc_loop_mod_fd(loop, fd, 0);
			if (!s->accept_timer)
				s->accept_timer = rc_loop_add_timer(loop, SIM_ACCEPT_PAUSE_MS,
				    server_on_accept_pause, s);
			return;
		}
		if (cfd < 0)
			return;         /* EAGAIN, or a transient error: poll again */
		if (s->n_conns >= SIM_MAX_CONNS) {
			close(cfd);
			continue;
		}
		int one = 1;
		setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		sim_conn *c = sim_conn_new(s, cfd);
		if (!c) {
			close(cfd);
			continue;
		}
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		s->n_conns++;
	}
}

/* Timer: one random join or leave, then the next interval. */
static int64_t server_on_churn(rc_loop *loop, void *arg)
{
	sim_server *s = arg;
	sim_roster_churn(&s->roster);
	int64_t mean = s->opts.churn_ms;
	int64_t next = mean / 2 + (int64_t)sim_rand_below(&s->rng, (uint64_t)mean + 1);
	return next > 0 ? next : 1;
}

/* Changes the mean churn interval (ms); 0 stops churn. */
void sim_server_set_churn(sim_server *s, int churn_ms)
{
	rc_loop_del_timer(s->loop, s->churn_timer);
	s->churn_timer = 0;
	s->opts.churn_ms = churn_ms > 0 ? churn_ms : 0;
	if (churn_ms > 0 && !s->stopping)
		s->churn_timer = rc_loop_add_timer(s->loop, churn_ms, server_on_churn, s);
}

/* Opens, binds and starts listening on the numeric address s->bind. */
static int server_listen(sim_server *s, int port, char *err, size_t cap)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	};
	struct addrinfo *ai = NULL;
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", port);
	int rc = getaddrinfo(s->bind, portstr, &hints, &ai);
	if (rc != 0) {
		snprintf(err, cap, "bad bind address '%s' (must be numeric): %s", s->bind,
		    gai_strerror(rc));
		return RC_EINVAL;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, cap, "socket: %s", strerror(errno));
		freeaddrinfo(ai);
		return RC_EIO;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SIM_BACKLOG) < 0) {
		snprintf(err, cap, "bind %s port %d: %s", s->bind, port, strerror(errno));
		close(fd);
		freeaddrinfo(ai);
		return RC_EIO;
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		snprintf(err, cap, "getsockname: %s", strerror(errno));
		close(fd);
		return RC_EIO;
	}
	s->port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) :
	    ntohs(((struct sockaddr_in *)&ss)->sin_port);
	s->lfd = fd;
	return 0;
}

/* Fills the roster from opts: the given names, or n generated ones. */
static int server_fill_roster(sim_server *s, const sim_opts *opts, char *err, size_t cap)
{
	if (!opts->players)
		return sim_roster_generate(&s->roster, opts->n_players);
	for (const char *const *p = opts->players; *p; p++) {
		int rc = sim_roster_join(&s->roster, *p);
		if (rc == RC_EFULL) {
			snprintf(err, cap, "more players than the %d slots", s->roster.max);
			return rc;
		}
		if (rc < 0) {
			snprintf(err, cap, "bad player name '%s'", *p);
			return rc;
		}
	}
	return 0;
}

/* Creates a server listening on loop. */
sim_server *sim_server_new(rc_loop *loop, const sim_opts *opts, char *err, size_t cap)
{
	const char *pw = opts->password ? opts->password : SIM_DEFAULT_PASSWORD;
	if (!*pw) {
		snprintf(err, cap, "empty password: RCON is disabled, as on a real server");
		return NULL;
	}
	sim_server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	s->loop = loop;
	s->lfd = -1;
	s->opts = *opts;
	s->opts.players = NULL;
	s->password = strdup(pw);
	s->bind = strdup(opts->bind ? opts->bind : SIM_DEFAULT_BIND);
	s->opts.password = s->password;
	s->opts.bind = s->bind;
	if (s->opts.max_players <= 0)
		s->opts.max_players = SIM_DEFAULT_MAX;
	s->rng = opts->seed ^ 0x5eed5eed5eed5eedULL;
	s->tps = opts->tps;
	sim_roster_init(&s->roster, s->opts.max_players, opts->seed);
	s->started_ms = rc_now_ms();
	s->world_seed = (int64_t)sim_rand(&s->rng);
	s->time_base = 24000 * 41 + (int64_t)sim_rand_below(&s->rng, 24000);
	s->difficulty = 2;
	if (!s->password || !s->bind) {
		snprintf(err, cap, "out of memory");
		goto fail;
	}
	if (server_fill_roster(s, opts, err, cap) < 0)
		goto fail;
	if (server_listen(s, opts->port, err, cap) < 0)
		goto fail;
	if (rc_loop_add_fd(loop, s->lfd, POLLIN, server_on_accept, s) < 0) {
		snprintf(err, cap, "out of memory");
		goto fail;
	}
	sim_server_set_churn(s, opts->churn_ms);
	return s;
fail:
	sim_server_free(s);
	return NULL;
}

/* Closes the listener and every connection and frees the server. */
void sim_server_free(sim_server *s)
{
	if (!s)
		return;
	if (s->lfd >= 0) {
		rc_loop_del_fd(s->loop, s->lfd);
		close(s->lfd);
	}
	while (s->conns)
		sim_conn_close(s->conns);
	server_reap_graveyard(s);
	rc_loop_del_timer(s->loop, s->reap_timer);
	rc_loop_del_timer(s->loop, s->churn_timer);
	rc_loop_del_timer(s->loop, s->accept_timer);
	sim_roster_free(&s->roster);
	free(s->password);
	free(s->bind);
	free(s);
}

/* Returns the TCP port the server listens on. */
int sim_server_port(const sim_server *s)
{
	return s->port;
}

/* Stops the server as `stop` does. */
void sim_server_stop(sim_server *s)
{
	if (s->stopping)
		return;
	s->stopping = true;
	if (s->lfd >= 0) {
		rc_loop_del_fd(s->loop, s->lfd);
		close(s->lfd);
		s->lfd = -1;
	}
	rc_loop_del_timer(s->loop, s->churn_timer);
	s->churn_timer = 0;
	for (sim_conn *c = s->conns, *next; c; c = next) {
		next = c->next;
		sim_conn_shutdown(c);
	}
	server_want_reap(s);
}

/* Returns true once the server has fully stopped. */
bool sim_server_stopped(const sim_server *s)
{
	return s->stopped;
}

/* Makes name join now. */
int sim_server_join(sim_server *s, const char *name)
{
	return sim_roster_join(&s->roster, name);
}

/* Makes name leave now. */
int sim_server_leave(sim_server *s, const char *name)
{
	return sim_roster_leave(&s->roster, name);
}

/* Returns the number of players online. */
size_t sim_server_player_count(const sim_server *s)
{
	return s->roster.online.n;
}

/* Returns the i-th online player's name, or NULL past the end. */
const char *sim_server_player(const sim_server *s, size_t i)
{
	return i < s->roster.online.n ? s->roster.online.v[i] : NULL;
}

/* Returns how many commands the server has received. */
void sim_server_set_tps(sim_server *s, double tps)
{
	s->tps = tps > 0 ? tps : 0;
}

/* Returns how many commands the server has received. */
unsigned long sim_server_commands(const sim_server *s)
{
	return s->n_commands;
}

/* Returns the world's game time in ticks (20 per second since start). */
int64_t sim_server_gametime(const sim_server *s)
{
	return s->time_base + (rc_now_ms() - s->started_ms) / SIM_TICK_MS;
}
