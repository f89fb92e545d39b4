/* sim-players.c: the simulated roster — who is online, ops, bans, whitelist —
 * and believable generated player names.
 *
 * Names are compared case-insensitively, as the server does.  Everything
 * random comes from one splitmix64 stream seeded by --seed, so a seeded run
 * produces the same names and the same churn every time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rconsole/error.h"
#include "sim/sim-int.h"

#define SIM_NAME_MAX 16
#define SIM_POOL_MAX 64

static const char *const name_first[] = {
	"Shadow", "Pixel", "Creeper", "Diamond", "Redstone", "Ender", "Block", "Nether",
	"Frost", "Storm", "Lava", "Emerald", "Obsidian", "Wolf", "Fox", "Raven", "Iron",
	"Golden", "Blaze", "Moss", "Cobble", "Sky", "Night", "Sun", "Lucky", "Silent",
	"Turbo", "Cozy", "Sneaky", "Happy", "Cosmic", "Mossy"
};

static const char *const name_second[] = {
	"Miner", "Crafter", "Builder", "Knight", "Hunter", "Slayer", "Wizard", "Pro",
	"Gamer", "Lord", "King", "Queen", "Rider", "Smith", "Walker", "Heart", "Fang",
	"Blade", "Dust", "Boi", "Panda", "Otter", "Bee", "Golem", "Steve", "Alex"
};

static const char *const name_plain[] = {
	"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan",
	"Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent",
	"Victor", "Walter", "Yuki", "Zoe", "Mateo", "Sofia", "Lukas", "Anouk"
};

/* Returns the next pseudo-random number of the splitmix64 stream. */
uint64_t sim_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Returns a pseudo-random number in [0, n). */
uint64_t sim_rand_below(uint64_t *state, uint64_t n)
{
	return n ? sim_rand(state) % n : 0;
}

/* Returns true when name is 3-16 characters of [A-Za-z0-9_]. */
bool sim_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n < 3 || n > SIM_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/* Writes a stable version-3-looking UUID derived from name into out. */
void sim_name_uuid(const char *name, char out[37])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ULL;
	uint64_t st = h;
	uint64_t a = sim_rand(&st), b = sim_rand(&st);
	a = (a & ~0xf000ULL) | 0x3000ULL;                     /* version 3 */
	b = (b & ~(0xc000ULL << 48)) | (0x8000ULL << 48);     /* RFC 4122 variant */
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
	    (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xffff, (unsigned)(b >> 48),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

/* Returns the index of name (case-insensitive) in set, or -1. */
long sim_names_find(const sim_names *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcasecmp(set->v[i], name) == 0)
			return (long)i;
	return -1;
}

/* Appends a copy of name; returns 0 or RC_ENOMEM. */
int sim_names_add(sim_names *set, const char *name)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 8;
		char **v = realloc(set->v, cap * sizeof *v);
		if (!v)
			return RC_ENOMEM;
		set->v = v;
		set->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return RC_ENOMEM;
	set->v[set->n++] = copy;
	return 0;
}

/* Removes entry i, keeping the order. */
void sim_names_del(sim_names *set, size_t i)
{
	free(set->v[i]);
	memmove(set->v + i, set->v + i + 1, (set->n - i - 1) * sizeof *set->v);
	set->n--;
}

/* Frees every name and the array. */
void sim_names_free(sim_names *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	*set = (sim_names){ 0 };
}

/* Initialises r with max slots and the given seed. */
void sim_roster_init(sim_roster *r, int max, uint64_t seed)
{
	*r = (sim_roster){ .max = max, .rng = seed };
}

/* Frees everything r holds. */
void sim_roster_free(sim_roster *r)
{
	sim_names_free(&r->online);
	sim_names_free(&r->ops);
	sim_names_free(&r->banned);
	sim_names_free(&r->ban_reasons);
	for (size_t m = 0; m < 3; m++)
		sim_names_free(&r->modes[m]);
	sim_names_free(&r->whitelist);
	sim_names_free(&r->pool);
}

/* Returns true when name is already known to the roster in any list. */
static bool roster_known(const sim_roster *r, const char *name)
{
	return sim_names_find(&r->online, name) >= 0 || sim_names_find(&r->pool, name) >= 0 ||
	    sim_names_find(&r->banned, name) >= 0;
}

/* Writes one believable name into out[SIM_NAME_MAX + 1]. */
static void roster_make_name(sim_roster *r, char *out)
{
	const char *a = name_first[sim_rand_below(&r->rng, sizeof name_first / sizeof name_first[0])];
	const char *b = name_second[sim_rand_below(&r->rng, sizeof name_second / sizeof name_second[0])];
	const char *p = name_plain[sim_rand_below(&r->rng, sizeof name_plain / sizeof name_plain[0])];
	unsigned num = (unsigned)sim_rand_below(&r->rng, 100);
	char tmp[64];
	switch (sim_rand_below(&r->rng, 7)) {
	case 0:
		snprintf(tmp, sizeof tmp, "%s%s", a, b);
		break;
	case 1:
		snprintf(tmp, sizeof tmp, "%s_%s", a, b);
		break;
	case 2:
		snprintf(tmp, sizeof tmp, "%s%s%02u", a, b, num);
		break;
	case 3:
		snprintf(tmp, sizeof tmp, "xX_%s_Xx", a);
		break;
	case 4:
		snprintf(tmp, sizeof tmp, "%s%u", p, 1990 + num % 20);
		break;
	case 5:
		snprintf(tmp, sizeof tmp, "%s_%s", p, b);
		break;
	default:
		snprintf(tmp, sizeof tmp, "%s", p);
		break;
	}
	if (strlen(tmp) > SIM_NAME_MAX)
		snprintf(tmp, sizeof tmp, "%s%02u", b, num);
	/* Lower-case some names, as many players do. */
	if (sim_rand_below(&r->rng, 5) == 0)
		for (char *q = tmp; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	memcpy(out, tmp, strlen(tmp) + 1);
}

/* Writes a name no list of the roster holds yet into out. */
static void roster_fresh_name(sim_roster *r, char *out)
{
	for (int tries = 0; tries < 64; tries++) {
		roster_make_name(r, out);
		if (!roster_known(r, out))
			return;
	}
	/* Fall back to a counter-style name that is certainly new. */
	for (unsigned k = 1;; k++) {
		snprintf(out, SIM_NAME_MAX + 1, "Player%u", k);
		if (!roster_known(r, out))
			return;
	}
}

/* Puts n generated names online. */
int sim_roster_generate(sim_roster *r, int n)
{
	char name[SIM_NAME_MAX + 1];
	for (int i = 0; i < n && (int)r->online.n < r->max; i++) {
		roster_fresh_name(r, name);
		if (sim_names_add(&r->online, name) < 0)
			return RC_ENOMEM;
	}
	return 0;
}

/* Puts name online; an online player is a no-op. */
int sim_roster_join(sim_roster *r, const char *name)
{
	if (!*name || strlen(name) > 64)
		return RC_EINVAL;
	if (sim_names_find(&r->online, name) >= 0)
		return 0;
	if ((int)r->online.n >= r->max)
		return RC_EFULL;
	long p = sim_names_find(&r->pool, name);
	if (p >= 0)
		sim_names_del(&r->pool, (size_t)p);
	return sim_names_add(&r->online, name);
}

/* Takes name offline and remembers it for churn; returns 0 or RC_ENOENT. */
int sim_roster_leave(sim_roster *r, const char *name)
{
	long i = sim_names_find(&r->online, name);
	if (i < 0)
		return RC_ENOENT;
	if (r->pool.n >= SIM_POOL_MAX)
		sim_names_del(&r->pool, 0);
	/* Losing a pool entry on OOM is harmless. */
	(void)sim_names_add(&r->pool, r->online.v[i]);
	sim_names_del(&r->online, (size_t)i);
	return 0;
}

/* Returns the online spelling of name, or NULL. */
const char *sim_roster_online(const sim_roster *r, const char *name)
{
	long i = sim_names_find(&r->online, name);
	return i < 0 ? NULL : r->online.v[i];
}

/* Returns true when name may join now (not banned, whitelisted if needed). */
static bool roster_may_join(const sim_roster *r, const char *name)
{
	if (sim_names_find(&r->banned, name) >= 0)
		return false;
	return !r->whitelist_on || sim_names_find(&r->whitelist, name) >= 0;
}

/* Brings one offline player online: a pooled one or a new name. */
static void roster_churn_join(sim_roster *r)
{
	char name[SIM_NAME_MAX + 1];
	if (r->pool.n > 0 && sim_rand_below(&r->rng, 2) == 0) {
		size_t i = (size_t)sim_rand_below(&r->rng, r->pool.n);
		if (roster_may_join(r, r->pool.v[i])) {
			snprintf(name, sizeof name, "%s", r->pool.v[i]);
			(void)sim_roster_join(r, name);
			return;
		}
	}
	if (r->whitelist_on) {
		for (size_t i = 0; i < r->whitelist.n; i++)
			if (roster_may_join(r, r->whitelist.v[i]) &&
			    sim_names_find(&r->online, r->whitelist.v[i]) < 0) {
				(void)sim_roster_join(r, r->whitelist.v[i]);
				return;
			}
		return;
	}
	roster_fresh_name(r, name);
	(void)sim_roster_join(r, name);
}

/* Makes one random player join or leave, drifting around half full. */
void sim_roster_churn(sim_roster *r)
{
	size_t n = r->online.n;
	bool join;
	if (n == 0)
		join = true;
	else if ((int)n >= r->max)
		join = false;
	else
		join = sim_rand_below(&r->rng, (uint64_t)r->max) >= n * 2 ||
		    sim_rand_below(&r->rng, 4) == 0;
	if (join) {
		roster_churn_join(r);
		return;
	}
	size_t i = (size_t)sim_rand_below(&r->rng, n);
	char name[80];
	snprintf(name, sizeof name, "%s", r->online.v[i]);
	(void)sim_roster_leave(r, name);
}

/* Records a ban of name for reason; returns 0 or RC_ENOMEM. */
int sim_roster_ban(sim_roster *r, const char *name, const char *reason)
{
	if (sim_names_add(&r->ban_reasons, reason) < 0)
		return RC_ENOMEM;
	if (sim_names_add(&r->banned, name) < 0) {
		sim_names_del(&r->ban_reasons, r->ban_reasons.n - 1);
		return RC_ENOMEM;
	}
	return 0;
}

/* Lifts ban i (an index into r->banned). */
void sim_roster_pardon(sim_roster *r, size_t i)
{
	sim_names_del(&r->banned, i);
	sim_names_del(&r->ban_reasons, i);
}

/* Returns name's game mode: 0 survival, 1 creative, 2 adventure, 3 spectator. */
int sim_roster_gamemode(const sim_roster *r, const char *name)
{
	for (int m = 0; m < 3; m++)
		if (sim_names_find(&r->modes[m], name) >= 0)
			return m + 1;
	return 0;
}

/* Puts name in game mode m (0-3); returns 0 or RC_ENOMEM. */
int sim_roster_set_gamemode(sim_roster *r, const char *name, int m)
{
	for (int k = 0; k < 3; k++) {
		long i = sim_names_find(&r->modes[k], name);
		if (i >= 0)
			sim_names_del(&r->modes[k], (size_t)i);
	}
	return m > 0 ? sim_names_add(&r->modes[m - 1], name) : 0;
}
