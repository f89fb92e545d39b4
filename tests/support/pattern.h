/* pattern.h: what mcsim's `sim pattern <N>` answers, for tests to compare a
 * long reply with byte for byte.  The reply is N bytes of 10-byte records,
 * record k being the decimal offset 10k in nine digits and "\n"
 * ("000000000\n000000010\n..."), the last record cut at N: every byte tells
 * where it belongs, so a fragment lost, repeated or out of order shows.
 *
 *   char *want = pattern_make(65536);
 *   long at = pattern_diff(reply, len, 65536);
 *   cr_assert_eq(at, -1, "first wrong byte at %ld", at); */
#ifndef RCONSOLE_TESTS_SUPPORT_PATTERN_H
#define RCONSOLE_TESTS_SUPPORT_PATTERN_H

#include <stddef.h>

/* Returns the n-byte reply, malloc'd and NUL-terminated (NULL on ENOMEM). */
char *pattern_make(size_t n);
/* Returns -1 when got (len bytes) is exactly the n-byte reply, else the
 * offset of the first byte that differs (len or n when one is a prefix of
 * the other). */
long pattern_diff(const char *got, size_t len, size_t n);
/* Same for the reply as the one-shot CLI prints it: a trailing newline
 * added unless the reply ends with one. */
long pattern_diff_printed(const char *got, size_t len, size_t n);

#endif
