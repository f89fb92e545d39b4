/* app-tree.c: each server's command tree, read from its own `help`.
 *
 * Fetch: once per connection (and again on :rehash), when the connection
 * is READY and no user command is in flight — with more than APP_TREE_EAGER
 * servers only once the console needs the tree (app_tree_need, on
 * selection; until then neither the cache nor the server is read) — `help` is sent with its own tag
 * (app_tag_tree): its reply never reaches the transcript, so it is never
 * echoed.  The reply is split where vanilla glued its usages (app-split.c,
 * the same splitter the transcript uses) and parsed (rc_mc_usage, mc.h).  A
 * paged reply (Paper/Spigot "Help: Index (1/N)", 1.12 "Showing help page 1
 * of N") is followed by `help 2` ... `help N` (at most APP_TREE_PAGES), one
 * at a time, each only when no user command is in flight.  A fetch that
 * fails (refused, lost, no usage in the reply) keeps what was there (the
 * cache, or nothing: the console falls back to its fixed list).  When the
 * connection is lost (or times out) during a fetch twice in a row, later
 * connections do not fetch again by themselves (only :rehash does): a
 * server that chokes on `help` is not hit with it on every reconnect.
 *
 * Scheduling: the fetch never polls.  app_tree_kick() is called when the
 * server may have become idle — ready, and after every reply through the
 * shared schedule's idle hook (app_sched_idle, app-sched.c, which also
 * sends a refresh that found the connection busy) — and sends the next
 * request when one is wanted (app_tree_kick is the only entry point that
 * sends).
 *
 * Cache: $XDG_CACHE_HOME/rconsole/ (else ~/.cache/rconsole/), directory mode
 * 0700, one file per server "<name>.tree" (name escaped as history files
 * are), mode 0600, written atomically:
 *     rconsole-tree 1
 *     server <host>:<port>
 *     read <unix seconds>
 *     <one usage per line, as the server printed it>
 * It is read (non-blocking, regular files only, at most 4 MiB) when the
 * server connects (up to APP_TREE_EAGER servers) or the console first needs
 * its tree (app_tree_need, on selection), so a second start completes at
 * once, before the server answers; a file for another host:port is ignored.
 * app_tree() only returns what is there: drawing code calls it every frame. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app-file.h"
#include "app/app-int.h"
#include "app/app-split.h"
#include "app/app-tree.h"
#include "app/history.h"

#define APP_TREE_PAGES 64             /* pages of a paged help fetched at most */
#define APP_TREE_FILE_MAX (4u << 20)  /* cache files larger than this are ignored */
#define APP_TREE_STRIKES 2            /* lost connections mid-fetch before giving up */
#define APP_TREE_MAGIC "rconsole-tree 1\n"
/* With at most this many servers every tree is read as its server connects;
 * with more, a server's tree is read (cache, then `help`) only once the
 * console needs it (app_tree_need: the server was selected), so 10,000
 * servers do not each answer `help` and hold a tree nobody completes from. */
#define APP_TREE_EAGER 64

char app_tag_tree;

struct app_tree {
	rc_mc_usage *tree;    /* what completion uses; NULL = none yet */
	int64_t read_at;      /* unix seconds the tree was read from the server */
	bool loaded;          /* the cache was looked at */
	bool want;            /* a fetch should start when idle */
	bool loud;            /* :rehash: say when it is done */
	bool inflight;        /* a request of ours is on the wire */
	uint64_t id;
	int page;             /* the page asked for (1 = plain `help`) */
	int pages;            /* page count read from the first page, 1 = not paged */
	rc_mc_usage *next;    /* the tree being fetched */
	char *text;           /* its usage lines, for the cache */
	size_t len;
	size_t cap;
	int strikes;          /* connections lost while a fetch was on the wire */
	bool needed;          /* the console asked for this tree (app_tree_need) */
};

/* Returns true when s's tree is read now rather than on first need. */
static bool tree_eager(const app_srv *s)
{
	return s->a->n <= APP_TREE_EAGER || (s->tree && s->tree->needed);
}

/* Returns s's tree state, creating it; NULL on ENOMEM. */
static struct app_tree *tree_of(app_srv *s)
{
	if (!s->tree)
		s->tree = calloc(1, sizeof(*s->tree));
	return s->tree;
}

/* Returns the malloc'd cache file for s, or NULL when there is no home. */
static char *tree_path(const app_srv *s)
{
	const char *dir = s->a->opts.cache_dir;
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *file = app_text_file_name(s->pub.name);
	char *out = NULL;
	if (!file)
		return NULL;
	if (dir && *dir) {
		if (asprintf(&out, "%s/%s.tree", dir, file) < 0)
			out = NULL;
	} else if (xdg && xdg[0] == '/') {
		if (asprintf(&out, "%s/rconsole/%s.tree", xdg, file) < 0)
			out = NULL;
	} else if (home && home[0] == '/') {
		if (asprintf(&out, "%s/.cache/rconsole/%s.tree", home, file) < 0)
			out = NULL;
	}
	free(file);
	return out;
}

/* Writes the "server host:port" line for s into buf. */
static void tree_server_line(const app_srv *s, char *buf, size_t cap)
{
	const rc_profile *p = s->pub.profile;
	snprintf(buf, cap, "server %s:%d\n", p && p->host ? p->host : "", p ? p->port : 0);
}

/* Reads s's cache file into its tree, once, when the tree is still empty. */
static void tree_load(app_srv *s, struct app_tree *t)
{
	if (t->loaded)
		return;
	t->loaded = true;
	char *path = tree_path(s);
	if (!path)
		return;
	size_t got;
	char why[64] = "";   /* a refused cache is ignored: the server is asked again */
	char *buf = app_file_slurp(path, APP_TREE_FILE_MAX, &got, why, sizeof(why));
	free(path);
	char want[512];
	tree_server_line(s, want, sizeof(want));
	size_t ml = sizeof(APP_TREE_MAGIC) - 1, wl = strlen(want);
	if (buf && got > ml + wl && memcmp(buf, APP_TREE_MAGIC, ml) == 0 &&
	    memcmp(buf + ml, want, wl) == 0 && strncmp(buf + ml + wl, "read ", 5) == 0 && !t->tree) {
		char *body = strchr(buf + ml + wl, '\n');
		long long at = atoll(buf + ml + wl + 5);
		rc_mc_usage *u = body ? rc_mc_usage_new() : NULL;
		if (u && rc_mc_usage_add_help(u, body + 1, got - (size_t)(body + 1 - buf), NULL) > 0) {
			t->tree = u;
			t->read_at = at;
			app_touch(s, APP_DIRTY_STATUS);
		} else {
			rc_mc_usage_free(u);
		}
	}
	free(buf);
}

/* Writes the fetched usages to s's cache file atomically (app_file_write;
 * errors are quiet: the cache only saves a round trip). */
static void tree_save(app_srv *s, const struct app_tree *t)
{
	char *path = tree_path(s);
	if (!path || app_state_mkdirs(path) < 0) {
		free(path);
		return;
	}
	char head[640], server[512];
	tree_server_line(s, server, sizeof(server));
	int hl = snprintf(head, sizeof(head), "%s%sread %lld\n", APP_TREE_MAGIC, server,
	    (long long)t->read_at);
	if (hl > 0 && (size_t)hl < sizeof(head)) {
		struct iovec iov[2] = { { head, (size_t)hl }, { t->text ? t->text : (char *)"", t->len } };
		(void)app_file_write(path, 0600, iov, 2, NULL, 0);
	}
	free(path);
}

/* Appends the reply body, one usage per line (vanilla's glue split), to
 * the text being fetched; false on ENOMEM. */
static bool tree_collect(struct app_tree *t, const char *body, size_t len)
{
	for (size_t ls = 0; ls < len;) {
		const char *nl = memchr(body + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - body) : len;
		for (size_t off = ls; off < le;) {
			size_t end = app_split_next(APP_SPLIT_HELP, body + ls, le - ls, off - ls) + ls;
			if (end <= off)
				end = le;
			size_t n = end - off;
			if (t->len + n + 2 > t->cap) {
				size_t cap = (t->len + n + 2) * 2;
				char *p = realloc(t->text, cap);
				if (!p)
					return false;
				t->text = p;
				t->cap = cap;
			}
			memcpy(t->text + t->len, body + off, n);
			t->len += n;
			t->text[t->len++] = '\n';
			off = end;
		}
		ls = le + 1;
	}
	return true;
}

/* Splits a help reply into one usage per line (malloc'd; caller frees). */
char *app_tree_split(const char *body, size_t len, size_t *out_len)
{
	struct app_tree t = { 0 };
	if (!tree_collect(&t, body, len)) {
		free(t.text);
		return NULL;
	}
	if (!t.text && !(t.text = calloc(1, 1)))
		return NULL;
	*out_len = t.len;
	return t.text;
}

/* Drops a fetch in progress (the current tree stays). */
static void tree_abandon(struct app_tree *t)
{
	rc_mc_usage_free(t->next);
	t->next = NULL;
	free(t->text);
	t->text = NULL;
	t->len = t->cap = 0;
	t->inflight = false;
	t->id = 0;
	t->page = 0;
	t->pages = 0;
}

static void tree_failed(app_srv *s, struct app_tree *t, const char *why);

/* Sends the next request of a wanted fetch when s is idle. */
void app_tree_kick(app_srv *s)
{
	struct app_tree *t = s->tree;
	if (!t || !t->want || t->inflight || !app_srv_idle(s) || !tree_eager(s))
		return;
	char cmd[32] = "help";
	int page = t->page + 1;
	if (page > 1)
		snprintf(cmd, sizeof(cmd), "help %d", page);
	uint64_t id = 0;
	int rc = rc_conn_send(s->pub.conn, cmd, &app_tag_tree, &id);
	if (rc != 0) {
		/* Refused (a read-only allowlist without help): no tree. */
		tree_failed(s, t, rc == RC_EREADONLY ? "'help' is not in the read-only allowlist" :
		    rc_strerror(rc));
		return;
	}
	t->inflight = true;
	t->id = id;
	t->page = page;
}

/* Finishes a fetch: the new tree replaces the old one and is cached. */
static void tree_done(app_srv *s, struct app_tree *t)
{
	t->want = false;
	t->strikes = 0;
	rc_mc_usage_free(t->tree);
	t->tree = t->next;
	t->next = NULL;
	t->read_at = (int64_t)time(NULL);
	tree_save(s, t);
	if (t->loud)
		app_pushf(s, APP_LINE_INFO, "command tree: %zu commands read from the server",
		    rc_mc_usage_count(t->tree));
	t->loud = false;
	tree_abandon(t);
	app_touch(s, APP_DIRTY_STATUS);
}

/* Ends a fetch that gave nothing usable. */
static void tree_failed(app_srv *s, struct app_tree *t, const char *why)
{
	if (t->loud)
		app_pushf(s, APP_LINE_INFO, "command tree not read: %s%s", why,
		    t->tree ? " (keeping the one read before)" : "");
	t->loud = false;
	t->want = false;
	tree_abandon(t);
}

/* Takes a reply sent with app_tag_tree. */
void app_tree_on_reply(app_srv *s, const rc_event *ev)
{
	struct app_tree *t = s->tree;
	if (!t || !t->inflight || ev->cmd != t->id)
		return;
	t->inflight = false;
	if (ev->status != 0) {
		/* The connection went down with `help` written: a strike (the
		 * library fails the command before it reports the state). */
		if (ev->status == RC_ELOST)
			t->strikes++;
		tree_failed(s, t, rc_strerror(ev->status));
		return;
	}
	if (!t->next && !(t->next = rc_mc_usage_new())) {
		tree_failed(s, t, "out of memory");
		return;
	}
	size_t before = t->len;
	if (!tree_collect(t, ev->body ? ev->body : "", ev->body ? ev->len : 0)) {
		tree_failed(s, t, "out of memory");
		return;
	}
	int pages = -1;
	int added = rc_mc_usage_add_help(t->next, t->text ? t->text + before : "", t->len - before,
	    &pages);
	if (added < 0) {
		tree_failed(s, t, "out of memory");
		return;
	}
	if (t->page == 1)
		t->pages = pages > 1 ? (pages > APP_TREE_PAGES ? APP_TREE_PAGES : pages) : 1;
	if (t->page < t->pages) {
		app_tree_kick(s);
		return;
	}
	if (rc_mc_usage_count(t->next) == 0) {
		tree_failed(s, t, "the reply to 'help' lists no commands");
		return;
	}
	tree_done(s, t);
}

/* Returns true when s's command tree is read: not turned off by the app's
 * options, the profile's command_tree or the file's global one. */
static bool tree_enabled(const app_srv *s)
{
	return app_setting(s->a, s->pub.profile, APP_SET_COMMAND_TREE) != 0;
}

/* Wants a fresh tree from s's server (connected: now or when idle). */
void app_tree_on_ready(app_srv *s)
{
	struct app_tree *t = tree_enabled(s) ? tree_of(s) : NULL;
	if (!t)
		return;
	if (tree_eager(s))
		tree_load(s, t);    /* else when first needed */
	tree_abandon(t);
	if (t->strikes >= APP_TREE_STRIKES)
		return;       /* `help` itself seems to bring the server down: :rehash only */
	t->want = true;
	app_tree_kick(s);
}

/* Forgets a fetch in progress when s's connection goes down. */
void app_tree_down(app_srv *s)
{
	if (!s->tree)
		return;
	if (s->tree->inflight)
		s->tree->strikes++;
	tree_abandon(s->tree);
	s->tree->want = false;
	s->tree->loud = false;
}

/* Frees s's tree state. */
void app_tree_free(app_srv *s)
{
	if (!s->tree)
		return;
	tree_abandon(s->tree);
	rc_mc_usage_free(s->tree->tree);
	free(s->tree);
	s->tree = NULL;
}

/* Returns server i's command tree as it is now (no side effects: reading
 * the cache and fetching are app_tree_need's); NULL when trees are off for
 * it (an old cache file is not used then). */
const rc_mc_usage *app_tree(const app *a, size_t i)
{
	if (!a || i >= a->n || !tree_enabled(a->srv[i]) || !a->srv[i]->tree)
		return NULL;
	return a->srv[i]->tree->tree;
}

/* The console needs server i's tree (it was selected): reads the cache and
 * sends the fetch its connection wanted, if it was held back. */
void app_tree_need(app *a, size_t i)
{
	if (!a || i >= a->n || !tree_enabled(a->srv[i]))
		return;
	struct app_tree *t = tree_of(a->srv[i]);
	if (!t || t->needed)
		return;
	t->needed = true;
	tree_load(a->srv[i], t);
	app_tree_kick(a->srv[i]);
}

/* Reads server i's command tree again (:rehash). */
int app_rehash(app *a, size_t i)
{
	if (!a || i >= a->n)
		return RC_EINVAL;
	app_srv *s = a->srv[i];
	struct app_tree *t = tree_of(s);
	if (!t)
		return RC_ENOMEM;
	if (!s->pub.conn || (s->pub.state != RC_STATE_READY && s->pub.state != RC_STATE_BUSY)) {
		app_pushf(s, APP_LINE_ERROR, "not rehashed: %s is not connected", s->pub.name);
		return RC_ENOTREADY;
	}
	tree_load(s, t);
	if (!t->inflight)
		tree_abandon(t);
	t->want = true;
	t->loud = true;
	t->strikes = 0;
	app_pushf(s, APP_LINE_INFO, "reading the command tree from the server");
	app_tree_kick(s);
	return 0;
}
