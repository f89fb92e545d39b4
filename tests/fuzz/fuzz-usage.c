/* fuzz-usage.c: libFuzzer target for the command-tree parser
 * (rc_mc_usage_add_help, rc_mc_usage_walk, rc_mc_usage_span).  The input is
 * parsed as a help reply, then its own words are walked through the tree
 * and every node's usage is spanned, checking the promises made. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

/* Checks a node and everything under it; returns the nodes counted. */
static size_t fuzz_check(const rc_mc_unode *n, int depth)
{
	if (depth > 4096 || (depth > 0 && (!n->name || !*n->name)))
		abort();
	if (n->usage) {
		size_t a, b;
		for (size_t k = 0; rc_mc_usage_span(n->usage, k, &a, &b); k++)
			if (a >= b || b > strlen(n->usage))
				abort();
	}
	size_t total = 1;
	for (size_t k = 0; k < n->n_kids; k++)
		total += fuzz_check(n->kids[k], depth + 1);
	return total;
}

/* Parses one input and walks its words. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rc_mc_usage *u = rc_mc_usage_new();
	if (!u)
		return 0;
	int pages = -1;
	int added = rc_mc_usage_add_help(u, (const char *)data, size, &pages);
	if (added > 0 && rc_mc_usage_count(u) == 0)
		abort();
	if (fuzz_check(rc_mc_usage_root(u), 0) > 200001)
		abort();
	char buf[256];
	size_t n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;
	memcpy(buf, data, n);
	buf[n] = '\0';
	const char *w[8];
	size_t nw = 0;
	for (char *t = strtok(buf, " /\n"); t && nw < 8; t = strtok(NULL, " /\n"))
		w[nw++] = t;
	const rc_mc_unode *out[16];
	bool open;
	size_t got = rc_mc_usage_walk(u, w, nw, out, 16, &open);
	for (size_t k = 0; k < got; k++)
		if (nw > 0 && !out[k]->name)
			abort();
	rc_mc_usage_add_line(u, (const char *)data, size);
	rc_mc_usage_free(u);
	return 0;
}
