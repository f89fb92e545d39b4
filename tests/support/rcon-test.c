/* rcon-test.c: a tiny blocking RCON client and raw socket for tests. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rcon-test.h"

#define RCON_TEST_LEN_MAX (16 * 1024 * 1024)
#define RCON_TEST_CHUNK 65536

/* Returns milliseconds on the monotonic clock. */
static long long rt_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads a little-endian int32. */
static int32_t rt_get32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

/* Writes a little-endian int32. */
static void rt_put32(uint8_t *p, int32_t v)
{
	uint32_t u = (uint32_t)v;
	p[0] = (uint8_t)u;
	p[1] = (uint8_t)(u >> 8);
	p[2] = (uint8_t)(u >> 16);
	p[3] = (uint8_t)(u >> 24);
}

/* Connects to host:port, blocking. */
rcon_test *rcon_test_connect(const char *host, int port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", port);
	if (getaddrinfo(host ? host : "127.0.0.1", portstr, &hints, &ai) != 0)
		return NULL;
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return NULL;
	}
	freeaddrinfo(ai);
	rcon_test *c = calloc(1, sizeof *c);
	if (!c) {
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->next_id = 1;
	return c;
}

/* Connects to 127.0.0.1:port and authenticates. */
rcon_test *rcon_test_open(int port, const char *password)
{
	rcon_test *c = rcon_test_connect(NULL, port);
	if (c && rcon_test_auth(c, password) != 1) {
		rcon_test_close(c);
		c = NULL;
	}
	return c;
}

/* Closes and frees. */
void rcon_test_close(rcon_test *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c->buf);
	free(c);
}

/* Writes arbitrary bytes in one write(). */
int rcon_test_send_raw(rcon_test *c, const void *bytes, size_t len)
{
	ssize_t w;
	do
		w = send(c->fd, bytes, len, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)len ? 0 : -1;
}

/* Encodes one packet into a malloc'd buffer. */
uint8_t *rcon_test_encode(int32_t id, int32_t type, const void *body, size_t body_len,
    size_t *len)
{
	uint8_t *p = malloc(body_len + 14);
	if (!p)
		return NULL;
	rt_put32(p, (int32_t)(body_len + 10));
	rt_put32(p + 4, id);
	rt_put32(p + 8, type);
	if (body_len)
		memcpy(p + 12, body, body_len);
	p[12 + body_len] = 0;
	p[13 + body_len] = 0;
	*len = body_len + 14;
	return p;
}

/* Sends one packet in one write(). */
int rcon_test_send(rcon_test *c, int32_t id, int32_t type, const void *body, size_t len)
{
	size_t n;
	uint8_t *p = rcon_test_encode(id, type, body, len, &n);
	if (!p)
		return -1;
	int rc = rcon_test_send_raw(c, p, n);
	free(p);
	return rc;
}

/* Reads what is available within timeout_ms: 1 data, 0 timeout, -1 closed. */
static int rt_fill(rcon_test *c, long long deadline)
{
	long long left = deadline - rt_now_ms();
	if (left < 0)
		left = 0;
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	int rc = poll(&pfd, 1, (int)left);
	if (rc < 0)
		return errno == EINTR ? 1 : -1;
	if (rc == 0)
		return 0;
	if (c->cap - c->len < RCON_TEST_CHUNK) {
		size_t cap = c->cap ? c->cap * 2 : RCON_TEST_CHUNK * 2;
		uint8_t *nb = realloc(c->buf, cap);
		if (!nb)
			return -1;
		c->buf = nb;
		c->cap = cap;
	}
	ssize_t r = read(c->fd, c->buf + c->len, RCON_TEST_CHUNK);
	if (r < 0 && errno == EINTR)
		return 1;
	if (r <= 0)
		return -1;
	c->len += (size_t)r;
	return 1;
}

/* Receives one packet within timeout_ms. */
int rcon_test_recv(rcon_test *c, rcon_test_pkt *p, int timeout_ms)
{
	long long deadline = rt_now_ms() + timeout_ms;
	for (;;) {
		if (c->len >= 4) {
			int32_t n = rt_get32(c->buf);
			if (n < 10 || n > RCON_TEST_LEN_MAX)
				return -2;
			if (c->len >= (size_t)n + 4) {
				p->id = rt_get32(c->buf + 4);
				p->type = rt_get32(c->buf + 8);
				p->body_len = (size_t)n - 10;
				p->body = malloc(p->body_len + 1);
				if (!p->body)
					return -1;
				memcpy(p->body, c->buf + 12, p->body_len);
				p->body[p->body_len] = '\0';
				c->len -= (size_t)n + 4;
				memmove(c->buf, c->buf + n + 4, c->len);
				return 1;
			}
		}
		int rc = rt_fill(c, deadline);
		if (rc <= 0)
			return rc;
	}
}

/* Frees a packet's body. */
void rcon_test_pkt_free(rcon_test_pkt *p)
{
	free(p->body);
	p->body = NULL;
}

/* Waits for end of stream, counting (and discarding) the bytes received. */
int rcon_test_wait_close(rcon_test *c, int timeout_ms, size_t *junk)
{
	long long deadline = rt_now_ms() + timeout_ms;
	size_t total = c->len;
	int closed = 0;
	for (;;) {
		c->len = 0;
		int rc = rt_fill(c, deadline);
		total += c->len;
		if (rc < 0) {
			closed = 1;
			break;
		}
		if (rc == 0)
			break;
	}
	c->len = 0;
	if (junk)
		*junk = total;
	return closed;
}

/* Authenticates: 1 accepted, 0 rejected (id -1), -1 failure. */
int rcon_test_auth(rcon_test *c, const char *password)
{
	int32_t id = c->next_id++;
	if (rcon_test_send(c, id, 3, password, strlen(password)) < 0)
		return -1;
	for (;;) {
		rcon_test_pkt p;
		if (rcon_test_recv(c, &p, RCON_TEST_TIMEOUT_MS) != 1)
			return -1;
		int32_t pid = p.id, type = p.type;
		size_t blen = p.body_len;
		rcon_test_pkt_free(&p);
		if (type == 0 && blen == 0 && pid == id)
			continue;       /* Source's empty packet before the auth reply */
		if (type != 2)
			return -1;
		return pid == id ? 1 : pid == -1 ? 0 : -1;
	}
}

/* Appends a fragment to the reply being built; returns 0 or -1. */
static int rt_append(char **out, size_t *len, size_t *cap, const rcon_test_pkt *p)
{
	if (*cap - *len < p->body_len + 1) {
		size_t nc = *cap ? *cap : 4096;
		while (nc - *len < p->body_len + 1)
			nc *= 2;
		char *n = realloc(*out, nc);
		if (!n)
			return -1;
		*out = n;
		*cap = nc;
	}
	memcpy(*out + *len, p->body, p->body_len);
	*len += p->body_len;
	(*out)[*len] = '\0';
	return 0;
}

/* Runs cmd with the sentinel technique and returns the reassembled reply. */
char *rcon_test_exec(rcon_test *c, const char *cmd, size_t *len, int *frags)
{
	int32_t id = c->next_id++, sid = c->next_id++;
	if (rcon_test_send(c, id, 2, cmd, strlen(cmd)) < 0)
		return NULL;
	char *out = NULL;
	size_t n = 0, cap = 0;
	int count = 0;
	for (;;) {
		rcon_test_pkt p;
		if (rcon_test_recv(c, &p, RCON_TEST_TIMEOUT_MS) != 1)
			break;
		if (p.id == sid) {
			rcon_test_pkt_free(&p);
			if (len)
				*len = n;
			if (frags)
				*frags = count;
			if (!out)
				out = calloc(1, 1);
			return out;
		}
		int ok = p.id == id && p.type == 0 && rt_append(&out, &n, &cap, &p) == 0;
		rcon_test_pkt_free(&p);
		if (!ok)
			break;
		/* The server has read the command: the sentinel is safe to send now. */
		if (count++ == 0 &&
		    rcon_test_send(c, sid, RCON_TEST_SENTINEL_TYPE, "", 0) < 0)
			break;
	}
	free(out);
	return NULL;
}

/* Runs cmd with the sentinel technique, keeping the fragments apart. */
int rcon_test_exec_frags(rcon_test *c, const char *cmd, rcon_test_pkt *frags, int max)
{
	int32_t id = c->next_id++, sid = c->next_id++;
	if (rcon_test_send(c, id, 2, cmd, strlen(cmd)) < 0)
		return -1;
	int count = 0;
	for (;;) {
		rcon_test_pkt p;
		if (rcon_test_recv(c, &p, RCON_TEST_TIMEOUT_MS) != 1)
			break;
		if (p.id == sid) {
			rcon_test_pkt_free(&p);
			return count;
		}
		if (p.id != id || p.type != 0) {
			rcon_test_pkt_free(&p);
			break;
		}
		if (count < max)
			frags[count] = p;
		else
			rcon_test_pkt_free(&p);
		if (count++ == 0 &&
		    rcon_test_send(c, sid, RCON_TEST_SENTINEL_TYPE, "", 0) < 0)
			break;
	}
	for (int i = 0; i < count && i < max; i++)
		rcon_test_pkt_free(&frags[i]);
	return -1;
}
