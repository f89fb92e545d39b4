/* fuzz-cmd.c: libFuzzer target for the command builders: whatever name and
 * argument come in, a built command is one line of printable text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "rconsole/packet.h"

/* libFuzzer entry point: byte 0 picks the action and flags, then the name
 * and the argument are separated by the first NUL. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *name, *arg, out[RC_MC_BODY_MAX + 1];
	const char *cause = NULL;
	size_t nl;
	int n;

	if (size < 1)
		return 0;
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	buf[size] = '\0';
	name = buf;
	nl = strlen(name);
	arg = nl + 1 < size ? buf + nl + 1 : NULL;
	n = rc_mc_build_ex((rc_mc_action)(data[0] % (RC_MC_ACTION_COUNT + 1)), name, arg,
	    data[0] & 0x80 ? RC_MC_NAME_BEDROCK : RC_MC_NAME_JAVA, out, sizeof out, &cause);
	if (n >= 0) {
		if ((size_t)n != strlen(out) || n > RC_MC_BODY_MAX || cause != NULL)
			abort();
		for (int i = 0; i < n; i++)
			if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
				abort();
		if (strstr(out, "\xC2\x80") || strstr(out, "\xC2\x9B"))
			abort();
	} else if (cause == NULL || (n != RC_EINVAL && n != RC_ETOOLONG)) {
		abort();
	}
	free(buf);
	return 0;
}
