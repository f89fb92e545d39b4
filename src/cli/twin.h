/* twin.h: a static rconsole runs its dynamically linked twin for the
 * console, --demo and --metrics (twin.c). */
#ifndef RC_CLI_TWIN_H
#define RC_CLI_TWIN_H

#include <stddef.h>

/* Runs rconsole-dynamic with argv, from beside this program or from
 * $(pkglibexecdir); returns only when neither could be run. */
void twin_exec(char *const argv[]);
/* Run as the twin: removes what twin_exec left in the environment. */
void twin_arrived(void);
/* Writes into buf (cap bytes) where the twin was looked for; returns buf. */
const char *twin_places(char *buf, size_t cap);

#endif
