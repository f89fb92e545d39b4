/* bench-bare-client.c: the floor one-shot figures are measured against — a
 * bare RCON client with nothing but sockets: connect to 127.0.0.1:PORT, log
 * in, run CMD COUNT times one after another (default 1), reading each reply
 * packet, write the bodies to stdout and exit.  No library, no locale, no
 * configuration: what any RCON client must at least do.
 *
 *   bench-bare-client PORT PASSWORD CMD [COUNT]
 *
 * Exit 0 when every reply came, 1 otherwise.  A reply of several packets is
 * read as its first packet only (mcsim answers `list` and `seed` in one). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Writes one packet (id, type, body); returns 0 or -1. */
static int put(int fd, int32_t id, int32_t type, const char *body)
{
	unsigned char buf[4200];
	size_t n = strlen(body);
	if (n > 4096)
		return -1;
	uint32_t len = (uint32_t)(n + 10);
	uint32_t f[3] = { len, (uint32_t)id, (uint32_t)type };
	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 4; b++)
			buf[i * 4 + b] = (unsigned char)(f[i] >> (8 * b));
	memcpy(buf + 12, body, n);
	buf[12 + n] = buf[13 + n] = 0;
	return write(fd, buf, n + 14) == (ssize_t)(n + 14) ? 0 : -1;
}

/* What was read and not used yet: one read() takes what has arrived. */
static unsigned char inbuf[65536];
static size_t in_at, in_len;

/* Reads exactly n bytes; returns 0 or -1. */
static int get_n(int fd, unsigned char *p, size_t n)
{
	while (n) {
		if (in_at == in_len) {
			ssize_t r = read(fd, inbuf, sizeof inbuf);
			if (r <= 0)
				return -1;
			in_at = 0;
			in_len = (size_t)r;
		}
		size_t k = in_len - in_at < n ? in_len - in_at : n;
		memcpy(p, inbuf + in_at, k);
		in_at += k;
		p += k;
		n -= k;
	}
	return 0;
}

/* Reads one packet into body[cap]; returns its id, or -1. */
static long get(int fd, char *body, size_t cap, size_t *blen)
{
	unsigned char h[12];
	if (get_n(fd, h, 4) < 0)
		return -1;
	uint32_t len = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
	    (uint32_t)h[3] << 24;
	if (len < 10 || len - 8 > cap || get_n(fd, h + 4, 8) < 0 ||
	    get_n(fd, (unsigned char *)body, len - 8) < 0)
		return -1;
	*blen = len - 10;
	return (long)((uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 |
	    (uint32_t)h[7] << 24);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	long count = argc > 4 ? atol(argv[4]) : 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	static char body[1 << 20];
	size_t blen;
	if (put(fd, 1, 3, argv[2]) < 0 || get(fd, body, sizeof body, &blen) != 1)
		return 1;
	for (long i = 0; i < count; i++) {
		if (put(fd, (int32_t)(i + 2), 2, argv[3]) < 0 ||
		    get(fd, body, sizeof body, &blen) != i + 2)
			return 1;
		fwrite(body, 1, blen, stdout);
		putchar('\n');
	}
	close(fd);
	return 0;
}
