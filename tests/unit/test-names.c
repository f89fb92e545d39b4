/* test-names.c: the name hash behind rc_config_find, app_find and the
 * duplicate checks (src/lib/names.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/names.h"
#include "rconsole/profile.h"

Test(names, fnv1a_reference_values)
{
	/* Published FNV-1a 32-bit test vectors. */
	cr_assert_eq(names_hash(""), 0x811c9dc5u);
	cr_assert_eq(names_hash("a"), 0xe40c292cu);
	cr_assert_eq(names_hash("foobar"), 0xbf9cf968u);
}

Test(names, put_get_replace_delete)
{
	names *t = names_new(0);
	cr_assert_not_null(t);
	size_t v = 99;
	cr_assert(!names_get(t, "survival", &v));
	cr_assert_eq(v, 99, "a miss leaves *val alone");
	cr_assert_eq(names_put(t, "survival", 1), 0);
	cr_assert_eq(names_put(t, "lobby", 2), 0);
	cr_assert(names_get(t, "survival", &v));
	cr_assert_eq(v, 1);
	cr_assert_eq(names_put(t, "survival", 7), 0);
	cr_assert(names_get(t, "survival", &v));
	cr_assert_eq(v, 7, "put replaces");
	cr_assert_eq(names_count(t), 2);
	cr_assert(names_del(t, "survival"));
	cr_assert(!names_del(t, "survival"));
	cr_assert(!names_get(t, "survival", NULL));
	cr_assert(names_get(t, "lobby", &v));
	cr_assert_eq(v, 2);
	cr_assert_eq(names_count(t), 1);
	cr_assert(!names_get(t, "Lobby", NULL), "names are case-sensitive");
	names_clear(t);
	cr_assert_eq(names_count(t), 0);
	cr_assert(!names_get(t, "lobby", NULL));
	names_free(t);
	names_free(NULL);
}

Test(names, many_keys_grow_and_survive_deletions)
{
	enum { N = 20000 };
	static char keys[N][16];
	names *t = names_new(0);
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "mc-%05zu", i);
		cr_assert_eq(names_put(t, keys[i], i), 0);
	}
	cr_assert_eq(names_count(t), N);
	/* Delete every third key, then put half of them back: tombstones must
	 * neither hide later keys of a probe run nor fill the table. */
	for (size_t i = 0; i < N; i += 3)
		cr_assert(names_del(t, keys[i]));
	for (size_t i = 0; i < N; i += 6)
		cr_assert_eq(names_put(t, keys[i], i + 1), 0);
	for (size_t i = 0; i < N; i++) {
		size_t v;
		bool there = names_get(t, keys[i], &v);
		if (i % 3 == 0 && i % 6 != 0) {
			cr_assert(!there, "%s was deleted", keys[i]);
		} else {
			cr_assert(there, "%s is there", keys[i]);
			cr_assert_eq(v, i % 6 == 0 ? i + 1 : i);
		}
	}
	/* Churn: many deletes and puts on a small set never need more room
	 * than the live keys. */
	for (int round = 0; round < 100000; round++) {
		cr_assert_eq(names_put(t, "churn", (size_t)round), 0);
		cr_assert(names_del(t, "churn"));
	}
	cr_assert(!names_get(t, "churn", NULL));
	names_free(t);
}

/* Returns a valid profile called name (strings point at the arguments). */
static rc_profile profile_named(char *name)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = name;
	p.host = (char *)"127.0.0.1";
	return p;
}

Test(names, config_find_uses_the_index_and_follows_edits)
{
	rc_config *cfg = rc_config_new(NULL);
	enum { N = 3000 };
	char name[32];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "srv%d", i);
		rc_profile p = profile_named(name);
		char err[256];
		cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	}
	rc_profile dup = profile_named((char *)"srv17");
	char err[256];
	cr_assert_neq(rc_config_add(cfg, &dup, err, sizeof err), 0, "duplicate refused");
	cr_assert_str_eq(rc_config_find(cfg, "srv2999")->name, "srv2999");
	cr_assert_null(rc_config_find(cfg, "srv3000"));
	cr_assert_eq(rc_config_remove(cfg, "srv0"), 0);
	cr_assert_null(rc_config_find(cfg, "srv0"));
	rc_profile *p = rc_config_find(cfg, "srv1");
	cr_assert_not_null(p);
	cr_assert_eq(p, &cfg->servers[0], "positions follow the removal");
	rc_profile again = profile_named((char *)"srv0");
	cr_assert_eq(rc_config_add(cfg, &again, err, sizeof err), 0, "%s", err);
	cr_assert_eq(rc_config_find(cfg, "srv0"), &cfg->servers[N - 1]);
	cr_assert_eq(rc_config_find(cfg, "srv2999"), &cfg->servers[N - 2]);
	rc_config_free(cfg);
}
