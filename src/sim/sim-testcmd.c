/* sim-testcmd.c: the `sim ...` commands tests and the demo drive mcsim with.
 *
 * The contract (also listed in the header comment of sim-cmd.c):
 *   sim chars <N> ascii|latin|cjk|emoji|xemoji   exactly N UTF-16 code units
 *   sim pattern <N>                              exactly N bytes, each set by
 *                                                its offset (see below)
 *   sim join <name> / sim leave <name>           roster changes, at once
 *   sim names                                    online names, each + "\n"
 *   sim echo <text>                              answers <text> exactly (all
 *                                                after "sim echo ", spaces kept)
 *   sim bytes <hex>                              answers raw bytes
 *   sim tps <N>                                  sets the TPS (sim-health.c)
 * Replies are built in one pass (a 1 MiB `sim chars` costs O(n)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "sim/sim-int.h"

#define SIM_CHARS_MAX (16L * 1024 * 1024)

/* One `sim chars` pattern: bytes of one character and its UTF-16 units. */
static const struct chars_kind {
	const char *name;
	const char *bytes;
	size_t units;
	bool lead_x;        /* starts with one 'x' (xemoji) */
} chars_kinds[] = {
	{ "ascii", "a", 1, false },
	{ "latin", "\xc3\xa9", 1, false },
	{ "cjk", "\xe4\xb8\xad", 1, false },
	{ "emoji", "\xf0\x9f\x98\x80", 2, false },
	{ "xemoji", "\xf0\x9f\x98\x80", 2, true },
};

/* Fills out with exactly n units of kind k. */
static void testcmd_fill(sim_buf *out, const struct chars_kind *k, long n)
{
	size_t blen = strlen(k->bytes);
	long body = n;
	bool lead = k->lead_x && n > 0;
	if (lead)
		body--;
	long reps = body / (long)k->units;
	bool tail = body % (long)k->units != 0;
	uint8_t *p = sim_buf_grow(out, (size_t)reps * blen + lead + tail);
	if (!p)
		return;
	if (lead)
		*p++ = 'x';
	if (blen == 1) {
		memset(p, k->bytes[0], (size_t)reps);
		p += reps;
	} else {
		for (long i = 0; i < reps; i++, p += blen)
			memcpy(p, k->bytes, blen);
	}
	if (tail)
		*p = 'x';
}

/* Returns the size <N> of `sim chars|pattern <N> ...` when the command has
 * argc words and 0 <= N <= SIM_CHARS_MAX, else -1. */
static long testcmd_size(const sim_args *a, size_t argc)
{
	if (a->argc != argc)
		return -1;
	char *end = NULL;
	long n = strtol(a->argv[2], &end, 10);
	return end == a->argv[2] || *end || n < 0 || n > SIM_CHARS_MAX ? -1 : n;
}

/* sim chars <N> <kind>. */
static void testcmd_chars(const sim_args *a, sim_buf *out)
{
	long n = testcmd_size(a, 4);
	if (n < 0) {
		sim_parse_incomplete(a, out);
		return;
	}
	for (size_t i = 0; i < sizeof chars_kinds / sizeof chars_kinds[0]; i++)
		if (strcmp(chars_kinds[i].name, a->argv[3]) == 0) {
			testcmd_fill(out, &chars_kinds[i], n);
			return;
		}
	sim_parse_incomplete(a, out);
}

/* sim pattern <N>: N bytes of 10-byte records, record k being the decimal
 * offset of its first byte in 9 digits and a newline ("000000000\n000000010\n
 * ..."), the last one cut at N.  Every byte depends on its position, so a
 * fragment lost, repeated or out of order changes what a client reassembles;
 * the fragment size (4096) is no multiple of 10, so records straddle it. */
static void testcmd_pattern(const sim_args *a, sim_buf *out)
{
	long n = testcmd_size(a, 3);
	if (n < 0) {
		sim_parse_incomplete(a, out);
		return;
	}
	uint8_t *p = sim_buf_grow(out, (size_t)n);
	if (!p)
		return;
	char rec[11];
	for (long o = 0; o < n; o += 10) {
		snprintf(rec, sizeof rec, "%09ld\n", o);
		memcpy(p + o, rec, n - o < 10 ? (size_t)(n - o) : 10);
	}
}

/* sim join <name> / sim leave <name>. */
static void testcmd_roster(sim_server *s, const sim_args *a, sim_buf *out, bool join)
{
	if (a->argc != 3) {
		sim_parse_incomplete(a, out);
		return;
	}
	const char *name = a->argv[2];
	int rc = join ? sim_server_join(s, name) : sim_server_leave(s, name);
	if (rc == 0)
		sim_buf_addf(out, "%s %s the game", name, join ? "joined" : "left");
	else if (rc == RC_EFULL)
		sim_buf_adds(out, "The server is full");
	else if (rc == RC_ENOENT)
		sim_buf_addf(out, "%s is not online", name);
	else
		sim_buf_adds(out, "Invalid player name");
}

/* Returns the value of hex digit c, or -1. */
static int testcmd_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* sim bytes <hex>: the decoded bytes, raw. */
static void testcmd_bytes(const sim_args *a, sim_buf *out)
{
	const char *h = a->argc == 3 ? a->argv[2] : "";
	size_t n = strlen(h);
	if (a->argc != 3 || n % 2) {
		sim_parse_incomplete(a, out);
		return;
	}
	for (size_t i = 0; i < n; i += 2) {
		int hi = testcmd_hexval(h[i]), lo = testcmd_hexval(h[i + 1]);
		if (hi < 0 || lo < 0) {
			sim_buf_reset(out);
			sim_parse_incomplete(a, out);
			return;
		}
		sim_buf_addc(out, (char)(hi << 4 | lo));
	}
}

/* Runs `sim ...`. */
enum sim_cmd_effect sim_testcmd_run(sim_server *s, const sim_args *a, sim_buf *out)
{
	const char *sub = a->argc > 1 ? a->argv[1] : "";
	if (strcmp(sub, "chars") == 0)
		testcmd_chars(a, out);
	else if (strcmp(sub, "pattern") == 0)
		testcmd_pattern(a, out);
	else if (strcmp(sub, "join") == 0 || strcmp(sub, "leave") == 0)
		testcmd_roster(s, a, out, sub[0] == 'j');
	else if (strcmp(sub, "names") == 0 && a->argc == 2)
		for (size_t i = 0; i < s->roster.online.n; i++)
			sim_buf_addf(out, "%s\n", s->roster.online.v[i]);
	else if (strcmp(sub, "echo") == 0 && a->argc > 2)
		sim_buf_adds(out, a->rest[1] + 5);      /* all after "echo " */
	else if (strcmp(sub, "bytes") == 0)
		testcmd_bytes(a, out);
	else if (strcmp(sub, "tps") == 0)
		sim_health_set(s, a, out);
	else
		sim_parse_incomplete(a, out);
	return SIM_CMD_DONE;
}
