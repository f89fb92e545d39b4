/* test-tui-editor-wipe.c: a line the editor gives back to the allocator
 * holds nothing of what was typed.  A password prompt is an editor: the
 * prompt wipes its buffer and kill buffer at the end (editor_wipe), but a
 * buffer outgrown while typing, a kill buffer replaced by the next kill and
 * the cleaned copy of an insertion were freed as they were, so a password
 * longer than the first buffer (64 bytes) stayed in freed memory.  realloc
 * and free are wrapped (-Wl,--wrap): any block they take back from the
 * editor that still holds a piece of the secret is counted. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <string.h>

#include "tui/editor.h"

void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

/* 16 bytes of the secret: the allocator may reuse a block's first bytes. */
#define PIECE "-k9Q2x7Zp4Lm8Rt-"
static char secret[200];
static int leaks;   /* blocks given back with PIECE in them */

/* Counts p when it still holds PIECE. */
static void look(void *p)
{
	if (p && memmem(p, malloc_usable_size(p), PIECE, strlen(PIECE)))
		leaks++;
}

void *__wrap_realloc(void *p, size_t n)
{
	look(p);
	return __real_realloc(p, n);
}

void __wrap_free(void *p)
{
	look(p);
	__real_free(p);
}

/* A secret of 160 bytes with PIECE all along it. */
static void setup(void)
{
	secret[0] = '\0';
	while (strlen(secret) + strlen(PIECE) < 170)
		strcat(secret, PIECE);
	leaks = 0;
}

TestSuite(editor_wipe, .init = setup);

Test(editor_wipe, typing_a_long_password_leaves_nothing_behind)
{
	editor *e = editor_new();
	cr_assert_not_null(e);
	for (const char *p = secret; *p; p++)
		cr_assert_eq(editor_insert_cp(e, (unsigned char)*p), 0);
	cr_assert_str_eq(editor_text(e), secret);
	editor_wipe(e);
	editor_free(e);
	cr_assert_eq(leaks, 0, "%d freed blocks held the password", leaks);
}

Test(editor_wipe, pasting_and_killing_a_password_leaves_nothing_behind)
{
	editor *e = editor_new();
	cr_assert_not_null(e);
	cr_assert_eq(editor_insert(e, secret, strlen(secret)), 0);
	/* C-w twice: the second kill grows the kill buffer. */
	cr_assert(editor_kill_word_back(e));
	cr_assert_eq(editor_insert(e, secret, 40), 0);
	cr_assert(editor_kill_start(e));
	editor_wipe(e);
	editor_free(e);
	cr_assert_eq(leaks, 0, "%d freed blocks held the password", leaks);
}
