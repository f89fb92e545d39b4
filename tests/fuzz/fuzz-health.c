/* fuzz-health.c: libFuzzer target for rc_mc_health_parse and
 * rc_mc_health_unknown.  When the first byte is odd, the start of one known
 * shape is put in front of the rest of the input so that the number and
 * template code is reached at once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

static const char *const fuzz_heads[] = {
	"TPS from last 1m, 5m, 15m: ",
	"\xC2\xA7" "6TPS from last 1m, 5m, 15m: \xC2\xA7" "a*",
	"Server tick times (avg/min/max) from last 5s, 10s, 1m:\n\xE2\x97\xB4 ",
	"The game is running normallyTarget tick rate: ",
	"The game is sprintingTarget tick rate: 20.0 per second (ignored, reference only).",
	"Dim  0 (overworld) : Mean tick time: ",
	"Overall : Mean tick time: ",
	"Current TPS = ",
};

/* Checks the promises a parsed reply makes. */
static void fuzz_check(const rc_mc_health *h, bool ok)
{
	if (ok != (h->format != RC_MC_HEALTH_UNPARSED))
		abort();
	if (!ok) {
		if (h->tps[0] != -1 || h->tps[1] != -1 || h->tps[2] != -1 || h->mspt != -1 ||
		    h->p50 != -1 || h->sample != -1)
			abort();
		return;
	}
	for (int k = 0; k < RC_MC_TPS_WINDOWS; k++)
		if (!(h->tps[k] == -1 || (h->tps[k] >= 0 && h->tps[k] <= 1000)))
			abort();
	if (!(h->mspt == -1 || (h->mspt >= 0 && h->mspt <= 1e6)))
		abort();
	if (h->tps[0] < 0 && h->mspt < 0 && h->mspt_avg[0] < 0)
		abort();   /* parsed, but no figure at all */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rc_mc_health h;
	char *buf;
	size_t n = 0;

	if (size && (data[0] & 1)) {
		const char *head = fuzz_heads[(data[0] >> 1) % (sizeof fuzz_heads / sizeof fuzz_heads[0])];
		size_t hl = strlen(head);
		buf = malloc(hl + size);
		if (buf == NULL)
			return 0;
		memcpy(buf, head, hl);
		memcpy(buf + hl, data + 1, size - 1);
		n = hl + size - 1;
	} else {
		buf = malloc(size ? size : 1);
		if (buf == NULL)
			return 0;
		if (size)
			memcpy(buf, data, size);
		n = size;
	}
	fuzz_check(&h, rc_mc_health_parse(buf, n, &h));
	(void)rc_mc_health_unknown(buf, n);
	free(buf);
	return 0;
}
