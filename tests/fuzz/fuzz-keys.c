/* fuzz-keys.c: libFuzzer target for the console's key handling
 * (keys_handle() and keys_mouse() in src/tui/keys.c, with everything they
 * call: the line editor, completion, confirmations, console commands, the
 * player panel, app_command/app_broadcast and the real connections).
 *
 * No terminal and no curses screen: the harness builds the console's state
 * the way tui_run() does (editors, views, an 80x24 layout) and feeds it key
 * events straight from the input.  Two apps, each with two servers that
 * are READY over loopback to an in-process RCON peer on this loop: one
 * writable, one started read-only (--read-only).  Refresh is off, so every
 * command the peer receives was sent by a key.
 *
 * Input: byte 0 picks the app; then one event per byte:
 *   0xF0 / 0xF1      bracketed-paste begin / end markers
 *   0xF2 k           function key fn_keys[k % n]
 *   0xF3 c           Alt (ESC) + c
 *   0xF4 y x b       mouse report at (y % 24, x % 80), button b: left, wheel
 *   0xF5 w           the word words[w % n] typed (commands, ':all ', ...)
 *   anything else    that character (Ctrl-Z excepted: it would stop the
 *                    fuzzer under a shell with job control)
 * Oracles (abort() on failure):
 *  - a command is accepted by a connection only on a typed key outside a
 *    paste: Enter (Alt+Enter too: Esc, then Enter), or y answering a
 *    question, or a key of the open player menu (that menu needs players,
 *    which refresh-off never lists);
 *  - every command the read-only app's servers receive is in the default
 *    read-only allowlist (rc_policy_allows with the default list). */
#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/rconsole.h"
#include "tui/tui-int.h"

#define PEER_CLIENTS 16

/* One side of the in-process server: a listener and its clients. */
struct fz_peer {
	int lfd;
	char port[16];
	bool read_only;         /* every EXEC must pass the default allowlist */
	struct fz_client {
		int fd;
		uint8_t in[8192];
		size_t len;
	} cl[PEER_CLIENTS];
};

static rc_loop *loop;
static struct fz_peer peers[2];
static rc_config *cfg[2];
static app *apps[2];
static tui tuis[2];
static char state_dir[] = "/tmp/rconsole-fuzz-keys.XXXXXX";

static const int fn_keys[] = {
	KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, KEY_PPAGE, KEY_NPAGE,
	KEY_ENTER, KEY_BACKSPACE, KEY_DC, KEY_BTAB, KEY_F(1), KEY_F(5), KEY_F(6), KEY_F(10),
	KEY_RESIZE, KEY_IC,
};
static const char *const words[] = {
	"stop", "say hi", ":all ", ":tag prod ", "kick Bob", "op Eve", "list", "seed",
	"whitelist off", ":connect", ":disconnect", ":help", ":add", ":save", "ga", "/",
	"ban-ip 1.2.3.4", "time query day", "difficulty", ":quit",
};

/* Answers one packet from a client: auth accepted, commands answered
 * empty; a read-only peer checks every command against the allowlist.
 * Returns false when the connection is to be closed (after "stop", as a
 * server does). */
static bool peer_packet(struct fz_peer *p, int fd, const rc_packet *pkt)
{
	uint8_t out[64];
	int32_t type = pkt->type == RC_TYPE_AUTH ? RC_TYPE_AUTH_REPLY : RC_TYPE_RESPONSE;
	char cmd[2048] = "";
	if (pkt->type == RC_TYPE_EXEC) {
		size_t n = pkt->body_len < sizeof(cmd) - 1 ? pkt->body_len : sizeof(cmd) - 1;
		memcpy(cmd, pkt->body, n);
		cmd[n] = '\0';
		if (p->read_only && !rc_policy_allows(NULL, 0, cmd)) {
			fprintf(stderr, "read-only server received '%s'\n", cmd);
			abort();
		}
	}
	long w = rc_packet_encode(out, sizeof(out), pkt->id, type, "", 0);
	if (w > 0 && write(fd, out, (size_t)w) != w)
		abort();
	const char *c = cmd[0] == '/' ? cmd + 1 : cmd;
	return !(strncasecmp(c, "stop", 4) == 0 && (c[4] == '\0' || c[4] == ' '));
}

/* Reads from a client and answers every whole packet. */
static void peer_on_client(rc_loop *l, int fd, int revents, void *arg)
{
	struct fz_peer *p = arg;
	struct fz_client *c = NULL;
	for (int i = 0; i < PEER_CLIENTS; i++)
		if (p->cl[i].fd == fd)
			c = &p->cl[i];
	if (!c)
		abort();
	ssize_t r = read(fd, c->in + c->len, sizeof(c->in) - c->len);
	if (r <= 0) {
		rc_loop_del_fd(l, fd);
		close(fd);
		c->fd = -1;
		c->len = 0;
		return;
	}
	c->len += (size_t)r;
	for (;;) {
		rc_packet pkt;
		size_t used = 0;
		int d = rc_packet_decode(c->in, c->len, 0, &pkt, &used, NULL);
		if (d != RC_DECODE_OK)
			break;
		bool keep = peer_packet(p, fd, &pkt);
		memmove(c->in, c->in + used, c->len - used);
		c->len -= used;
		if (!keep) {
			rc_loop_del_fd(l, fd);
			close(fd);
			c->fd = -1;
			c->len = 0;
			return;
		}
	}
}

/* Accepts a client. */
static void peer_on_accept(rc_loop *l, int fd, int revents, void *arg)
{
	struct fz_peer *p = arg;
	int c = accept(fd, NULL, NULL);
	if (c < 0)
		return;
	for (int i = 0; i < PEER_CLIENTS; i++)
		if (p->cl[i].fd < 0) {
			p->cl[i].fd = c;
			p->cl[i].len = 0;
			rc_loop_add_fd(l, c, POLLIN, peer_on_client, p);
			return;
		}
	close(c);
}

/* Opens a peer's listener. */
static void peer_open(struct fz_peer *p, bool read_only)
{
	p->read_only = read_only;
	for (int i = 0; i < PEER_CLIENTS; i++)
		p->cl[i].fd = -1;
	p->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(p->lfd, 16) < 0 || getsockname(p->lfd, (struct sockaddr *)&sa, &len) < 0)
		abort();
	snprintf(p->port, sizeof(p->port), "%d", ntohs(sa.sin_port));
	rc_loop_add_fd(loop, p->lfd, POLLIN, peer_on_accept, p);
}

/* Returns how many commands app k's connections have taken so far. */
static uint64_t fz_taken(int k)
{
	uint64_t n = 0;
	for (size_t i = 0; i < app_count(apps[k]); i++) {
		app_server *s = app_get(apps[k], i);
		if (s->conn)
			n += rc_conn_get_stats(s->conn)->commands + rc_conn_pending(s->conn);
	}
	return n;
}

/* Runs the loop until every server of app k is READY with nothing queued
 * (reconnecting what a key disconnected or a "stop" closed, at once). */
static void fz_settle(int k)
{
	for (int tries = 0; tries < 400; tries++) {
		bool done = true;
		for (size_t i = 0; i < app_count(apps[k]); i++) {
			app_server *s = app_get(apps[k], i);
			if (s->state == RC_STATE_IDLE || s->state == RC_STATE_BACKOFF ||
			    s->state == RC_STATE_FAILED)
				app_connect(apps[k], i);
			if (s->state != RC_STATE_READY || (s->conn && rc_conn_pending(s->conn)))
				done = false;
		}
		if (done)
			return;
		rc_loop_run_once(loop, 5);
	}
}

/* Removes one entry of the history directory (an nftw callback). */
static int fz_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* Removes the history directory when the fuzzer exits. */
static void fz_cleanup(void)
{
	nftw(state_dir, fz_rm, 8, FTW_DEPTH | FTW_PHYS);
}

/* Sets up the loop, the peers, the apps and the console states once. */
static void fz_init(void)
{
	if (!mkdtemp(state_dir))
		abort();
	atexit(fz_cleanup);
	loop = rc_loop_new();
	if (!loop)
		abort();
	static const char *const names[2][2] = { { "alpha", "beta" }, { "ro1", "ro2" } };
	for (int k = 0; k < 2; k++) {
		peer_open(&peers[k], k == 1);
		cfg[k] = rc_config_new(NULL);
		for (int j = 0; j < 2; j++) {
			rc_profile p;
			rc_profile_init(&p);
			char *tags[] = { "prod", NULL };
			p.name = (char *)names[k][j];
			p.host = "127.0.0.1";
			p.port = atoi(peers[k].port);
			p.password = "pw";
			p.tags = tags;
			p.n_tags = 1;
			char err[256];
			if (rc_config_add(cfg[k], &p, err, sizeof(err)) < 0)
				abort();
		}
		app_opts o = { .read_only = k == 1, .refresh_override = 0, .state_dir = state_dir,
		    .cache_dir = state_dir };
		apps[k] = app_new(loop, cfg[k], &o);
		if (!apps[k])
			abort();
		for (int j = 0; j < 2; j++) {
			char err[256];
			if (app_add(apps[k], &cfg[k]->servers[j], "pw", err, sizeof(err)) < 0)
				abort();
		}
		app_start(apps[k]);
		tui *t = &tuis[k];
		t->loop = loop;
		t->a = apps[k];
		t->opts.read_only = k == 1;
		t->rs_match = -1;
		t->cmd = editor_new();
		t->aux = editor_new();
		layout_compute(80, 24, &t->lay);
		tui_views_sync(t);
		fz_settle(k);
	}
}

/* Puts console k back in its resting state between inputs. */
static void fz_reset(tui *t)
{
	t->quit = false;
	t->mode = TUI_M_EDIT;
	t->focus = TUI_F_CMD;
	t->pasting = false;
	t->paste_cut = false;
	t->paste_dropped = 0;
	t->confirm_cb = NULL;
	t->prompt_cb = NULL;
	t->prompt_masked = false;
	t->msg[0] = '\0';
	t->dirty = 0;
	editor_clear(t->cmd);
	editor_clear(t->aux);
	complete_reset(&t->comp);
	keys_queue_clear(t);
	t->sel = 0;
}

/* Returns true when the key may send a command (see the oracle). */
static bool fz_may_send(const tui *t, enum tui_mode before, bool pasting, bool fn, bool alt,
    int code)
{
	if (pasting)
		return false;
	/* Alt+Enter is Esc, then Enter: still a typed Enter. */
	bool enter = fn ? code == KEY_ENTER : (code == '\r' || code == '\n');
	if (enter)
		return true;
	if (alt)
		return false;
	if (before == TUI_M_CONFIRM && !fn && (code == 'y' || code == 'Y'))
		return true;
	return before == TUI_M_MENU;
}

/* Feeds one key and checks the sending oracle. */
static void fz_key(int k, bool fn, bool alt, int code)
{
	tui *t = &tuis[k];
	enum tui_mode before = t->mode;
	bool pasting = t->pasting;
	uint64_t n = fz_taken(k);
	keys_handle(t, fn, alt, code);
	if (fz_taken(k) > n && !fz_may_send(t, before, pasting, fn, alt, code)) {
		fprintf(stderr, "a command was sent by key fn=%d alt=%d code=%d (mode %d, paste %d)\n",
		    fn, alt, code, (int)before, pasting);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!loop)
		fz_init();
	if (size < 1)
		return 0;
	int k = data[0] & 1;
	tui *t = &tuis[k];
	fz_reset(t);
	for (size_t i = 1; i < size && !t->quit; i++) {
		uint8_t b = data[i];
		if (b == 0xF0 || b == 0xF1) {
			fz_key(k, true, false, b == 0xF0 ? TUI_KEY_PASTE_BEGIN : TUI_KEY_PASTE_END);
		} else if (b == 0xF2 && i + 1 < size) {
			fz_key(k, true, false, fn_keys[data[++i] % (sizeof(fn_keys) / sizeof(fn_keys[0]))]);
		} else if (b == 0xF3 && i + 1 < size) {
			int c = data[++i];
			if (c != 26)
				fz_key(k, false, true, c);
		} else if (b == 0xF4 && i + 3 < size) {
			static const int buttons[] = { TUI_BTN_LEFT, TUI_BTN_WHEEL_UP, TUI_BTN_WHEEL_DOWN, 2 };
			int y = data[i + 1] % 24, x = data[i + 2] % 80, btn = buttons[data[i + 3] % 4];
			i += 3;
			uint64_t n = fz_taken(k);
			keys_mouse(t, y, x, btn, true);
			if (fz_taken(k) > n)
				abort();   /* a click never sends */
		} else if (b == 0xF5 && i + 1 < size) {
			const char *w = words[data[++i] % (sizeof(words) / sizeof(words[0]))];
			for (; *w; w++)
				fz_key(k, false, false, (unsigned char)*w);
		} else if (b != 26) {
			fz_key(k, false, false, b);
		}
	}
	/* Let everything queued reach the peers (the read-only oracle runs there). */
	fz_settle(k);
	return 0;
}
