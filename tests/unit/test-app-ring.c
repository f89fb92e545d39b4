/* test-app-ring.c: the transcript ring — capacity, sequences, eviction, search. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/ring.h"

/* Pushes a NUL-terminated string and returns its sequence. */
static uint64_t push(app_ring *r, const char *s)
{
	return app_ring_push(r, 1000, APP_LINE_REPLY, s, strlen(s));
}

Test(ring, zero_capacity_is_refused)
{
	cr_assert_null(app_ring_new(0));
	app_ring_free(NULL);
}

Test(ring, empty_ring_has_no_lines)
{
	app_ring *r = app_ring_new(4);
	cr_assert_eq(app_ring_count(r), 0);
	cr_assert_eq(app_ring_first(r), 0);
	cr_assert_eq(app_ring_last(r), 0);
	cr_assert_null(app_ring_get(r, 0));
	cr_assert_null(app_ring_get(r, 1));
	cr_assert_eq(app_ring_search(r, 1, -1, "x"), 0);
	app_ring_free(r);
}

Test(ring, sequences_start_at_one_and_keep_fields)
{
	app_ring *r = app_ring_new(4);
	cr_assert_eq(app_ring_push(r, 42, APP_LINE_CMD, "> list", 6), 1);
	cr_assert_eq(app_ring_push(r, 43, APP_LINE_JOIN, "+ Carol joined", 14), 2);
	const app_line *l = app_ring_get(r, 1);
	cr_assert_not_null(l);
	cr_assert_eq(l->when, 42);
	cr_assert_eq(l->kind, APP_LINE_CMD);
	cr_assert_str_eq(l->text, "> list");
	cr_assert_eq(l->len, 6);
	l = app_ring_get(r, 2);
	cr_assert_eq(l->kind, APP_LINE_JOIN);
	cr_assert_str_eq(l->text, "+ Carol joined");
	cr_assert_null(app_ring_get(r, 3));
	cr_assert_eq(app_ring_first(r), 1);
	cr_assert_eq(app_ring_last(r), 2);
	app_ring_free(r);
}

Test(ring, text_is_copied_with_length_and_terminated)
{
	app_ring *r = app_ring_new(2);
	char buf[] = "abcdef";
	uint64_t s = app_ring_push(r, 0, APP_LINE_INFO, buf, 3);
	buf[0] = 'X';
	cr_assert_str_eq(app_ring_get(r, s)->text, "abc");
	cr_assert_eq(app_ring_get(r, s)->len, 3);
	s = app_ring_push(r, 0, APP_LINE_INFO, "", 0);
	cr_assert_str_eq(app_ring_get(r, s)->text, "");
	app_ring_free(r);
}

Test(ring, pushing_past_capacity_evicts_the_oldest)
{
	app_ring *r = app_ring_new(3);
	char buf[32];
	for (int i = 1; i <= 10; i++) {
		snprintf(buf, sizeof(buf), "line %d", i);
		cr_assert_eq(push(r, buf), (uint64_t)i);
		cr_assert_leq(app_ring_count(r), 3);
	}
	cr_assert_eq(app_ring_count(r), 3);
	cr_assert_eq(app_ring_first(r), 8);
	cr_assert_eq(app_ring_last(r), 10);
	for (uint64_t s = 1; s <= 7; s++)
		cr_assert_null(app_ring_get(r, s), "evicted line %lu still there", (unsigned long)s);
	for (uint64_t s = 8; s <= 10; s++) {
		snprintf(buf, sizeof(buf), "line %lu", (unsigned long)s);
		cr_assert_str_eq(app_ring_get(r, s)->text, buf);
	}
	cr_assert_null(app_ring_get(r, 11));
	app_ring_free(r);
}

Test(ring, large_ring_grows_and_wraps)
{
	/* More than the first allocation, then round the ring several times. */
	app_ring *r = app_ring_new(100);
	char buf[32];
	for (int i = 1; i <= 1000; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		cr_assert_eq(push(r, buf), (uint64_t)i);
		if (i == 50) {
			cr_assert_eq(app_ring_first(r), 1);
			cr_assert_str_eq(app_ring_get(r, 1)->text, "1");
			cr_assert_str_eq(app_ring_get(r, 50)->text, "50");
		}
	}
	cr_assert_eq(app_ring_count(r), 100);
	cr_assert_eq(app_ring_first(r), 901);
	for (uint64_t s = 901; s <= 1000; s++) {
		snprintf(buf, sizeof(buf), "%lu", (unsigned long)s);
		cr_assert_str_eq(app_ring_get(r, s)->text, buf);
	}
	app_ring_free(r);
}

Test(ring, capacity_one_keeps_only_the_newest)
{
	app_ring *r = app_ring_new(1);
	push(r, "a");
	push(r, "b");
	cr_assert_eq(app_ring_count(r), 1);
	cr_assert_null(app_ring_get(r, 1));
	cr_assert_str_eq(app_ring_get(r, 2)->text, "b");
	app_ring_free(r);
}

Test(ring, search_backwards_and_forwards)
{
	app_ring *r = app_ring_new(10);
	push(r, "Alice joined");    /* 1 */
	push(r, "nothing");         /* 2 */
	push(r, "alice left");      /* 3 */
	push(r, "nothing again");   /* 4 */
	cr_assert_eq(app_ring_search(r, 4, -1, "alice"), 3);
	cr_assert_eq(app_ring_search(r, 2, -1, "alice"), 1);
	cr_assert_eq(app_ring_search(r, 3, -1, "alice"), 3, "seq itself is included");
	cr_assert_eq(app_ring_search(r, 1, +1, "ALICE"), 1);
	cr_assert_eq(app_ring_search(r, 2, +1, "ALICE"), 3);
	cr_assert_eq(app_ring_search(r, 4, +1, "alice"), 0);
	cr_assert_eq(app_ring_search(r, 1, -1, "nothing"), 0);
	cr_assert_eq(app_ring_search(r, 4, -1, "absent"), 0);
	cr_assert_eq(app_ring_search(r, 4, -1, ""), 0, "an empty needle finds nothing");
	app_ring_free(r);
}

Test(ring, search_off_the_ends)
{
	app_ring *r = app_ring_new(3);
	for (int i = 0; i < 5; i++)
		push(r, "match");   /* keeps 3..5 */
	cr_assert_eq(app_ring_search(r, 99, -1, "match"), 5, "backwards from past the end starts at the newest");
	cr_assert_eq(app_ring_search(r, 1, +1, "match"), 3, "forwards from an evicted line starts at the oldest");
	cr_assert_eq(app_ring_search(r, 6, +1, "match"), 0, "nothing after the newest");
	cr_assert_eq(app_ring_search(r, 2, -1, "match"), 0, "nothing before the oldest");
	cr_assert_eq(app_ring_search(r, 4, 0, "match"), 0);
	app_ring_free(r);
}

Test(ring, search_ignores_section_sign_codes)
{
	app_ring *r = app_ring_new(4);
	push(r, "\xc2\xa7" "aAl\xc2\xa7" "lice \xc2\xa7r" "is here");  /* "§aAl§lice §ris here" */
	push(r, "plain text");
	cr_assert_eq(app_ring_search(r, 2, -1, "alice is"), 1);
	cr_assert_eq(app_ring_search(r, 1, +1, "ALICE IS HERE"), 1);
	cr_assert_eq(app_ring_search(r, 2, -1, "\xc2\xa7" "aalice"), 1, "codes in the needle are ignored too");
	cr_assert_eq(app_ring_search(r, 2, -1, "plain\xc2\xa7"), 2, "a lone trailing sign in the needle is dropped");
	cr_assert_eq(app_ring_search(r, 2, -1, "\xc2\xa7" "a"), 0, "a needle of only a code is empty");
	app_ring_free(r);
}

Test(ring, search_handles_non_ascii_and_trailing_sign)
{
	app_ring *r = app_ring_new(4);
	push(r, "Grüße an alle");
	push(r, "ends with \xc2\xa7");
	cr_assert_eq(app_ring_search(r, 2, -1, "GRÜßE"), 0, "only ASCII letters fold");
	cr_assert_eq(app_ring_search(r, 2, -1, "grüße"), 1);
	cr_assert_eq(app_ring_search(r, 2, -1, "ends with"), 2);
	app_ring_free(r);
}
