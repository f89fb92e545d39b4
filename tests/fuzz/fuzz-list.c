/* fuzz-list.c: libFuzzer target for rc_mc_list_parse and rc_mc_list_diff.
 * When the first byte is odd, one of the known headers is put in front of the
 * rest of the input so that the name parsers are reached at once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

static const char *const fuzz_heads[] = {
	"There are 2 of a max of 20 players online: ",
	"There are 1 of a max 20 players online: ",
	"There are 3/20 players online:",
	"Connected players: ",
	"\xC2\xA7" "6There are \xC2\xA7" "c2\xC2\xA7" "6 out of maximum \xC2\xA7" "c20\xC2\xA7"
	    "6 players online.\n",
	"There are 1/1 out of maximum 20 players online.\n",
};

/* Checks the promises a parsed list makes. */
static void fuzz_check(const rc_mc_list *l, const char *in, size_t len)
{
	if (l->raw_len != len || memcmp(l->raw, in, len) != 0 || l->raw[len] != '\0')
		abort();
	if (l->format == RC_MC_LIST_UNPARSED) {
		if (l->n_players || l->players || l->count != -1 || l->max != -1)
			abort();
		return;
	}
	if (l->count < 0 || (size_t)l->count != l->n_players)
		abort();
	for (size_t i = 0; i < l->n_players; i++) {
		const char *n = l->players[i].name;
		if (n[0] == '\0' || n[0] == ' ' || n[strlen(n) - 1] == ' ')
			abort();
		for (const char *p = n; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
		if (l->players[i].uuid && strlen(l->players[i].uuid) != 36)
			abort();
	}
}

/* libFuzzer entry point: the input is a `list` reply. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t hl = 0, len;
	char *in;
	rc_mc_list l, ref;
	const char **joined, **left;
	size_t nj, nl;

	if (size > 0 && (data[0] & 1)) {
		const char *h = fuzz_heads[(data[0] >> 1) % (sizeof fuzz_heads / sizeof fuzz_heads[0])];
		hl = strlen(h);
		data++;
		size--;
		in = malloc(hl + size + 1);
		memcpy(in, h, hl);
	} else {
		in = malloc(size + 1);
	}
	if (in == NULL)
		return 0;
	memcpy(in + hl, data, size);
	len = hl + size;
	if (rc_mc_list_parse(in, len, &l) != 0)
		abort();
	fuzz_check(&l, in, len);
	static const char two[] = "There are 2 of a max of 9 players online: Alice, Bob";

	if (rc_mc_list_parse(two, sizeof two - 1, &ref) != 0 || ref.n_players != 2)
		abort();
	if (rc_mc_list_diff(&ref, &l, &joined, &nj, &left, &nl) == 0) {
		if (nj > l.n_players || nl > ref.n_players)
			abort();
		free(joined);
		free(left);
	} else if (l.format != RC_MC_LIST_UNPARSED) {
		abort();
	}
	if (l.format != RC_MC_LIST_UNPARSED) {
		if (rc_mc_list_diff(&l, &l, &joined, &nj, &left, &nl) != 0 || nj || nl)
			abort();
		if (l.n_players && !rc_mc_list_has(&l, l.players[0].name))
			abort();
	}
	rc_mc_list_clear(&ref);
	rc_mc_list_clear(&l);
	free(in);
	return 0;
}
