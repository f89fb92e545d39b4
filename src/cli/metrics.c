/* metrics.c: headless monitoring — the servers' figures in the Prometheus
 * text exposition format (version 0.0.4), over HTTP and/or in a file.
 *
 * `rconsole --metrics [ADDR:]PORT` (ADDR defaults to 127.0.0.1) serves GET
 * /metrics with GNU libmicrohttpd; `--metrics-file PATH` writes the same
 * text atomically (app_file_write_nosync: temporary file in the same directory,
 * renamed over it, no fsync) after every change, for node_exporter's textfile
 * collector.  Both may be given.  The
 * servers are every profile, or the named/tagged ones, always read-only; the
 * app layer connects, reconnects, refreshes the player list and polls health
 * exactly as in the console.
 *
 * Threading: libmicrohttpd runs its own polling thread
 * (MHD_USE_INTERNAL_POLLING_THREAD).  The loop renders the whole text once a
 * second (and when anything changed) into a new buffer and swaps it in under
 * a mutex; the HTTP thread only copies the current buffer under that mutex.
 * A scrape therefore always sees one consistent snapshot, never a half
 * updated server, and a slow or stuck scraper can never stall the loop.
 * Driving MHD from our poll() instead would mean re-registering its changing
 * set of fds with the loop on every pass, for no gain at one scrape a second.
 *
 * libmicrohttpd is dlopened when the first endpoint starts (RC_MHD_SONAME,
 * found by configure), not linked: every other mode, one-shot above all,
 * starts without loading it and the TLS libraries it needs (issue 11).
 *
 * Label values are sanitised to valid UTF-8, then escaped as the format
 * requires (backslash, double quote, newline); server names are profile
 * names (or -H's host), tags the profile's tags joined by ",". */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "app/app-file.h"
#include "cli/console.h"
#include "cli/metrics.h"
#include "cli/target.h"
#include "cli/twin.h"
#include "lib/listen.h"
#include "rconsole/rconsole.h"

#define METRICS_TICK_MS 1000

/* The libmicrohttpd functions used, looked up in the dlopened library. */
static struct mhd_api {
	bool loaded;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
} mhd;

#if !defined(RC_STATIC_LIBC) || defined(RC_DYNAMIC_TWIN)
/* Each entry of mhd and the symbol that fills it. */
static const struct mhd_sym {
	const char *name;
	size_t off;
} mhd_syms[] = {
	{ "MHD_start_daemon", offsetof(struct mhd_api, start_daemon) },
	{ "MHD_stop_daemon", offsetof(struct mhd_api, stop_daemon) },
	{ "MHD_create_response_from_buffer", offsetof(struct mhd_api, create_response_from_buffer) },
	{ "MHD_add_response_header", offsetof(struct mhd_api, add_response_header) },
	{ "MHD_queue_response", offsetof(struct mhd_api, queue_response) },
	{ "MHD_destroy_response", offsetof(struct mhd_api, destroy_response) },
};
#endif

/* Loads libmicrohttpd once (never unloaded: its threads may still be
 * winding down at exit); returns 0, or -1 with err filled. */
int metrics_http_load(char *err, size_t cap)
{
	void *h;

	if (mhd.loaded)
		return 0;
#if defined(RC_STATIC_LIBC) && !defined(RC_DYNAMIC_TWIN)
	/* A static program must not dlopen a library that needs the shared C
	 * library: main() ran the twin for this, and there was none. */
	char places[2 * PATH_MAX + 64];
	snprintf(err, cap, "libmicrohttpd (%s): this rconsole is linked statically and loads it "
		 "through rconsole-dynamic, which is not at %s", RC_MHD_SONAME,
		 twin_places(places, sizeof places));
	(void)h;
	return -1;
#else
	h = dlopen(RC_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, cap, "libmicrohttpd (%s): %s", RC_MHD_SONAME, dlerror());
		return -1;
	}
	for (size_t i = 0; i < sizeof mhd_syms / sizeof mhd_syms[0]; i++) {
		void *f = dlsym(h, mhd_syms[i].name);
		if (!f) {
			snprintf(err, cap, "libmicrohttpd (%s): no function %s", RC_MHD_SONAME, mhd_syms[i].name);
			dlclose(h);
			return -1;
		}
		/* POSIX's way to turn dlsym's pointer into a function pointer. */
		memcpy((char *)&mhd + mhd_syms[i].off, &f, sizeof f);
	}
	mhd.loaded = true;
	return 0;
#endif
}

/* A growable text buffer; oom set on the first failed append. */
struct mbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* Appends printf-formatted text to b. */
static void mbuf_addf(struct mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mbuf_addf(struct mbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
		char *q = realloc(b->p, cap);
		if (!q) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
}

/* Appends s as a label value: sanitised first (rc_text_sanitize: valid
 * UTF-8, controls as their pictures), as Prometheus rejects the whole
 * scrape for one value that is not UTF-8 and a name given with -H is bytes
 * as typed; then escaped as the format requires (\\, \", and \n, which the
 * sanitiser leaves none of: the format's rule is kept whole all the same). */
static void mbuf_label(struct mbuf *b, const char *s)
{
	char *safe = s ? rc_text_sanitize(s, strlen(s), "", NULL) : NULL;

	if (s && !safe)
		b->oom = true;
	for (const char *c = safe; c && *c && !b->oom; c++) {
		if (*c == '\\')
			mbuf_addf(b, "\\\\");
		else if (*c == '"')
			mbuf_addf(b, "\\\"");
		else if (*c == '\n')
			mbuf_addf(b, "\\n");
		else
			mbuf_addf(b, "%c", *c);
	}
	free(safe);
}

/* Appends {server="...",tags="..."} (and extra, e.g. ",window=\"1m\"") for s. */
static void mbuf_labels(struct mbuf *b, const app_server *s, const char *extra)
{
	const rc_profile *p = s->profile;

	mbuf_addf(b, "{server=\"");
	mbuf_label(b, s->name);
	mbuf_addf(b, "\",tags=\"");
	for (size_t i = 0; p && i < p->n_tags; i++) {
		if (i)
			mbuf_addf(b, ",");
		mbuf_label(b, p->tags[i]);
	}
	mbuf_addf(b, "\"%s}", extra ? extra : "");
}

/* One metric family: name, type, help, and how to print one server's
 * samples (nothing when the figure is unknown). */
typedef void (*metric_fn)(struct mbuf *b, const char *name, const app_server *s);

/* Returns true when s is connected. */
static bool metric_is_up(const app_server *s)
{
	return s->state == RC_STATE_READY || s->state == RC_STATE_BUSY;
}

static void m_up(struct mbuf *b, const char *n, const app_server *s)
{
	mbuf_addf(b, "%s", n);
	mbuf_labels(b, s, NULL);
	mbuf_addf(b, " %d\n", metric_is_up(s) ? 1 : 0);
}

static void m_online(struct mbuf *b, const char *n, const app_server *s)
{
	if (!metric_is_up(s) || !s->have_players || s->players.count < 0)
		return;
	mbuf_addf(b, "%s", n);
	mbuf_labels(b, s, NULL);
	mbuf_addf(b, " %d\n", s->players.count);
}

static void m_max(struct mbuf *b, const char *n, const app_server *s)
{
	if (!metric_is_up(s) || !s->have_players || s->players.max < 0)
		return;
	mbuf_addf(b, "%s", n);
	mbuf_labels(b, s, NULL);
	mbuf_addf(b, " %d\n", s->players.max);
}

static void m_tps(struct mbuf *b, const char *n, const app_server *s)
{
	static const char *const win[] = { ",window=\"1m\"", ",window=\"5m\"", ",window=\"15m\"" };
	const rc_mc_health *m = &s->health.last;
	bool three = m->format == RC_MC_HEALTH_PAPER_TPS;

	if (!metric_is_up(s) || !s->health.have)
		return;
	for (int k = 0; k < (three ? 3 : 1); k++) {
		if (m->tps[k] < 0)
			continue;
		mbuf_addf(b, "%s", n);
		mbuf_labels(b, s, three ? win[k] : NULL);
		mbuf_addf(b, " %.3f\n", m->tps[k]);
	}
}

static void m_mspt(struct mbuf *b, const char *n, const app_server *s)
{
	if (!metric_is_up(s) || !s->health.have || s->health.last.mspt < 0)
		return;
	mbuf_addf(b, "%s", n);
	mbuf_labels(b, s, NULL);
	mbuf_addf(b, " %.3f\n", s->health.last.mspt);
}

static void m_rtt(struct mbuf *b, const char *n, const app_server *s)
{
	if (!metric_is_up(s) || s->rtt_us < 0)
		return;
	mbuf_addf(b, "%s", n);
	mbuf_labels(b, s, NULL);
	mbuf_addf(b, " %.6f\n", (double)s->rtt_us / 1e6);
}

/* Prints one counter of the connection's statistics. */
static void m_counter(struct mbuf *b, const char *n, const app_server *s, size_t off)
{
	const rc_conn_stats *st = app_conn_stats(s);

	if (!st)
		return;
	mbuf_addf(b, "%s", n);
	mbuf_labels(b, s, NULL);
	mbuf_addf(b, " %llu\n", (unsigned long long)*(const uint64_t *)((const char *)st + off));
}

static void m_reconnects(struct mbuf *b, const char *n, const app_server *s)
{
	m_counter(b, n, s, offsetof(rc_conn_stats, reconnects));
}

static void m_commands(struct mbuf *b, const char *n, const app_server *s)
{
	m_counter(b, n, s, offsetof(rc_conn_stats, commands));
}

static void m_strays(struct mbuf *b, const char *n, const app_server *s)
{
	m_counter(b, n, s, offsetof(rc_conn_stats, strays));
}

static void m_refresh(struct mbuf *b, const char *n, const app_server *s)
{
	if (s->health.last_unix <= 0)
		return;
	mbuf_addf(b, "%s", n);
	mbuf_labels(b, s, NULL);
	mbuf_addf(b, " %lld\n", (long long)s->health.last_unix);
}

/* The metric families, in the order they are written. */
static const struct metric {
	const char *name;
	const char *type;
	const char *help;
	metric_fn fn;
} metrics[] = {
	{ "rconsole_up", "gauge", "1 when the RCON connection is up", m_up },
	{ "rconsole_players_online", "gauge", "Players online (from the list command)", m_online },
	{ "rconsole_players_max", "gauge", "Player slots", m_max },
	{ "rconsole_tps", "gauge", "Ticks per second the server reports", m_tps },
	{ "rconsole_mspt", "gauge", "Mean milliseconds per tick the server reports", m_mspt },
	{ "rconsole_rtt_seconds", "gauge", "Round trip of the last RCON command", m_rtt },
	{ "rconsole_reconnects_total", "counter", "Reconnect attempts", m_reconnects },
	{ "rconsole_commands_total", "counter", "RCON commands written", m_commands },
	{ "rconsole_strays_total", "counter", "Packets no command was waiting for", m_strays },
	{ "rconsole_last_refresh_timestamp_seconds", "gauge",
	  "When the health figures were last refreshed (Unix time)", m_refresh },
};

/* Renders the metrics of every server of a (see the top of the file).
 * The numbers are formatted in the "C" locale: the console runs in the
 * user's (setlocale for curses), printf's %f follows its LC_NUMERIC, and the
 * exposition format's floats have a decimal point — one "16,500" fails the
 * whole scrape.  uselocale() is this thread's alone, so the console's own
 * text keeps the user's. */
char *metrics_render(app *a, size_t *len)
{
	struct mbuf b = { 0 };
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;

	if (!c)
		return NULL;
	for (size_t k = 0; k < sizeof metrics / sizeof metrics[0]; k++) {
		mbuf_addf(&b, "# HELP %s %s\n# TYPE %s %s\n", metrics[k].name, metrics[k].help,
		    metrics[k].name, metrics[k].type);
		for (size_t i = 0; i < app_count(a); i++)
			metrics[k].fn(&b, metrics[k].name, app_get(a, i));
	}
	mbuf_addf(&b, "# HELP rconsole_build_info rconsole's version\n"
	    "# TYPE rconsole_build_info gauge\nrconsole_build_info{version=\"");
	mbuf_label(&b, PACKAGE_VERSION);
	mbuf_addf(&b, "\"} 1\n");
	uselocale(old);
	freelocale(c);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

/* What the loop and the HTTP thread share. */
struct metrics_state {
	rc_loop *loop;
	app *a;
	pthread_mutex_t lock;
	char *text;             /* the current snapshot (under lock) */
	size_t len;
	uint64_t gen;           /* app_gen of the snapshot */
	const char *file;       /* --metrics-file, or NULL */
	bool file_failed;       /* the last write failed (said once) */
};

/* Writes text atomically to path (app_file_write_nosync: temp file in the
 * same directory, renamed over it; no fsync: it is rewritten every few
 * seconds on the loop's thread, and a slow disk must not stall the loop;
 * mode 0644 less the umask, for a textfile collector running as another
 * user); returns 0 or -1 with errno. */
static int metrics_write_file(const char *path, const char *text, size_t len)
{
	struct iovec iov = { (char *)text, len };
	return app_file_write_nosync(path, 0644, &iov, 1, NULL, 0) == 0 ? 0 : -1;
}

/* Renders a new snapshot (and writes the file) when anything changed. */
static void metrics_refresh(struct metrics_state *st, bool force)
{
	uint64_t gen = app_gen(st->a);
	size_t len = 0;
	char *text, *old;

	if (!force && gen == st->gen)
		return;
	text = metrics_render(st->a, &len);
	if (!text)
		return;
	st->gen = gen;
	if (st->file) {
		if (metrics_write_file(st->file, text, len) < 0) {
			if (!st->file_failed)
				cli_error(NULL, "--metrics-file %s: %s", st->file, strerror(errno));
			st->file_failed = true;
		} else {
			st->file_failed = false;
		}
	}
	pthread_mutex_lock(&st->lock);
	old = st->text;
	st->text = text;
	st->len = len;
	pthread_mutex_unlock(&st->lock);
	free(old);
}

/* Loop timer: a new snapshot once a second when something changed. */
static int64_t metrics_on_tick(rc_loop *loop, void *arg)
{
	(void)loop;
	metrics_refresh(arg, false);
	return METRICS_TICK_MS;
}

/* Stops the loop (then everything is freed in order) and sets the exit
 * status in *arg: SIGINT or SIGHUP interrupted it (130, as in every mode);
 * SIGTERM is a service manager's ordinary stop (0: anything else would
 * read as the exporter failing). */
static void metrics_on_signal(rc_loop *loop, int signo, void *arg)
{
	*(int *)arg = signo == SIGTERM ? 0 : 130;
	rc_loop_stop(loop);
}

/* libmicrohttpd's request handler (HTTP thread): GET /metrics only. */
static enum MHD_Result metrics_on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload, size_t *upload_len,
    void **con_cls)
{
	struct metrics_state *st = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned code = MHD_HTTP_OK;
	char *copy = NULL;
	size_t len = 0;
	static const char nf[] = "not found: try /metrics\n", bad[] = "only GET\n";

	(void)version;
	(void)upload;
	(void)upload_len;
	(void)con_cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		code = MHD_HTTP_METHOD_NOT_ALLOWED;
		r = mhd.create_response_from_buffer(sizeof bad - 1, (void *)bad, MHD_RESPMEM_PERSISTENT);
	} else if (strcmp(url, "/metrics") != 0) {
		code = MHD_HTTP_NOT_FOUND;
		r = mhd.create_response_from_buffer(sizeof nf - 1, (void *)nf, MHD_RESPMEM_PERSISTENT);
	} else {
		pthread_mutex_lock(&st->lock);
		if (st->text && (copy = malloc(st->len + 1)) != NULL) {
			memcpy(copy, st->text, st->len);
			len = st->len;
		}
		pthread_mutex_unlock(&st->lock);
		if (!copy)
			return MHD_NO;
		r = mhd.create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
		if (r)
			mhd.add_response_header(r, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	}
	if (!r)
		return MHD_NO;
	ret = mhd.queue_response(c, code, r);
	mhd.destroy_response(r);
	return ret;
}

/* Adds every target to a (read-only: the app was made so); a target that
 * cannot connect is reported on stderr, since no screen shows it.  Returns 0
 * or exit status 2. */
static int metrics_add(app *a, cli_targets *ts)
{
	int rc = console_add_targets(a, ts, false);
	for (size_t i = 0; !rc && i < ts->n; i++)
		if (ts->t[i].error)
			cli_error(ts->t[i].profile.name, "%s (reported as down)", ts->t[i].error);
	return rc;
}

/* A /metrics endpoint and/or file kept up to date from a's loop. */
struct metrics_server {
	struct metrics_state st;
	struct MHD_Daemon *d;
	rc_timer_id timer;
};

/* Starts serving a's metrics on listen ("[ADDR:]PORT", NULL = no HTTP)
 * and/or writing them to file (NULL = none).  Returns NULL with err filled. */
metrics_server *metrics_serve(rc_loop *loop, app *a, const char *listen, const char *file,
    char *err, size_t cap)
{
	struct sockaddr_storage sa;
	socklen_t salen = 0;
	metrics_server *m;
	char lerr[512];

	if (listen && !listen_parse(listen, &sa, &salen)) {
		snprintf(err, cap, "metrics address '%s': expected [ADDR:]PORT, e.g. 127.0.0.1:9225",
		    listen);
		return NULL;
	}
	if (listen && metrics_http_load(lerr, sizeof lerr) < 0) {
		snprintf(err, cap, "the metrics endpoint needs %s", lerr);
		return NULL;
	}
	m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&m->st.lock, NULL);
	m->st.loop = loop;
	m->st.a = a;
	m->st.file = file;
	metrics_refresh(&m->st, true);
	if (listen) {
		m->d = mhd.start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
		    (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
		    metrics_on_request, &m->st, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
		    MHD_OPTION_END);
		if (!m->d) {
			int why = listen_probe(&sa, salen);
			snprintf(err, cap, "metrics %s: cannot listen: %s", listen,
			    why ? strerror(why) : "the HTTP server did not start");
			metrics_serve_free(m);
			return NULL;
		}
	}
	m->timer = rc_loop_add_timer(loop, METRICS_TICK_MS, metrics_on_tick, &m->st);
	return m;
}

/* Stops the endpoint (joining its thread) and frees m.  NULL is a no-op. */
void metrics_serve_free(metrics_server *m)
{
	if (!m)
		return;
	if (m->d)
		mhd.stop_daemon(m->d);   /* joins the HTTP thread: nothing reads st after this */
	if (m->timer)
		rc_loop_del_timer(m->st.loop, m->timer);
	free(m->st.text);
	pthread_mutex_destroy(&m->st.lock);
	free(m);
}

/* Runs headless (see the top of the file). */
int metrics_run(const cli_opts *o)
{
	metrics_server *m = NULL;
	struct sockaddr_storage sa;
	socklen_t salen = 0;
	cli_targets ts;
	rc_loop *loop = NULL;
	app *a = NULL;
	char err[600];
	int rc;

	if (o->metrics && !listen_parse(o->metrics, &sa, &salen)) {
		cli_error(NULL, "--metrics takes [ADDR:]PORT (e.g. 9225 or 127.0.0.1:9225), not '%s'",
		    o->metrics);
		return 2;
	}
	/* Before any server is contacted: this installation cannot serve. */
	if (o->metrics && metrics_http_load(err, sizeof err) < 0) {
		cli_error(NULL, "--metrics needs %s", err);
		return 2;
	}
	rc = cli_targets_build(o, true, &ts);
	if (rc)
		return rc;
	rc = cli_targets_passwords(o, &ts, true);
	if (rc) {
		cli_targets_free(&ts);
		return rc;
	}
	loop = rc_loop_new();
	app_opts ao = console_app_opts(o);
	ao.read_only = true;
	a = loop ? app_new(loop, ts.cfg, &ao) : NULL;
	if (!a) {
		cli_error(NULL, "out of memory");
		rc = 5;
		goto out;
	}
	if ((rc = metrics_add(a, &ts)) != 0)
		goto out;
	m = metrics_serve(loop, a, o->metrics, o->metrics_file, err, sizeof err);
	if (!m) {
		cli_error(NULL, "%s", err);
		rc = 1;
		goto out;
	}
	int stopped = 0;
	rc_loop_watch_signal(loop, SIGTERM, metrics_on_signal, &stopped);
	rc_loop_watch_signal(loop, SIGINT, metrics_on_signal, &stopped);
	rc_loop_watch_signal(loop, SIGHUP, metrics_on_signal, &stopped);   /* the SSH session closed */
	signal(SIGPIPE, SIG_IGN);
	app_start(a);
	rc = rc_loop_run(loop) < 0 ? 1 : stopped;
out:
	metrics_serve_free(m);
	app_free(a);
	rc_loop_free(loop);
	cli_targets_free(&ts);
	return rc;
}
