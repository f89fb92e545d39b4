/* mc-int.h: private to the Minecraft reply parsers (mc-list.c, mc-health.c):
 * the one normalisation every reply goes through before it is matched. */
#ifndef RCONSOLE_MC_INT_H
#define RCONSOLE_MC_INT_H

#include <stddef.h>

/* Normalises text[len] into norm (len+1 bytes): § codes stripped
 * (rc_mc_strip), CR LF -> LF, trailing spaces, tabs, CRs and LFs removed,
 * NUL-terminated.  Returns the new length. */
size_t mc_list_normalise(const char *text, size_t len, char *norm);

#endif
