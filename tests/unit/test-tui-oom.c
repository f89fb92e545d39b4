/* test-tui-oom.c: the console's one out-of-memory exit — the terminal
 * restore hook runs first, then the process aborts; the never-NULL
 * allocators behave as realloc()/strdup() otherwise. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/oom.h"

/* Stands in for endwin(): leaves with a status of its own, so a test can
 * see that the hook ran before the abort. */
static void restore_then_exit(void)
{
	_exit(42);
}

static int restored;

/* Counts calls (the hook must run exactly once, then abort follows). */
static void restore_count(void)
{
	restored++;
	if (restored > 1)
		_exit(43);
}

Test(oom, die_restores_the_terminal_first, .exit_code = 42)
{
	oom_set_restore(restore_then_exit);
	oom_die();
}

Test(oom, die_aborts, .signal = SIGABRT)
{
	oom_set_restore(NULL);
	oom_die();
}

Test(oom, die_runs_the_hook_once_then_aborts, .signal = SIGABRT)
{
	restored = 0;
	oom_set_restore(restore_count);
	oom_die();
}

#if !defined(__SANITIZE_ADDRESS__)
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OOM_ASAN 1
#endif
#endif
#else
#define OOM_ASAN 1
#endif

#ifndef OOM_ASAN
Test(oom, failed_allocation_dies_through_the_hook, .exit_code = 42)
{
	/* No allocator can give SIZE_MAX bytes. */
	oom_set_restore(restore_then_exit);
	void *p = oom_realloc(NULL, SIZE_MAX);
	cr_assert_fail("oom_realloc returned %p", p);
}
#endif

Test(oom, allocators_work)
{
	char *s = oom_strdup("player list");
	cr_assert_str_eq(s, "player list");
	s = oom_realloc(s, 4096);
	cr_assert_str_eq(s, "player list");
	free(s);
	void *z = oom_realloc(NULL, 0);
	cr_assert_not_null(z);
	free(z);
}
