/* fuzz-config.c: libFuzzer target for the profile loader (rc_config_load).
 *
 * Each input is written to a scratch file (mode 0600, so inline passwords
 * are allowed) and loaded.  Whatever loads must also survive the save
 * round trip: rc_config_save() to a second file, load it again, and every
 * global and profile must compare equal — anything else aborts, so the
 * fuzzer reports it.  The scratch directory is on /dev/shm when there is
 * one (saving fsyncs), else $TMPDIR or /tmp, and is removed at exit. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rconsole/profile.h"

static char scratch_dir[256];
static char in_path[300];
static char out_path[300];

/* Removes the scratch files and directory. */
static void scratch_remove(void)
{
	unlink(in_path);
	unlink(out_path);
	rmdir(scratch_dir);
}

/* Creates the scratch directory once; aborts when it cannot. */
static void scratch_init(void)
{
	if (scratch_dir[0])
		return;
	struct stat st;
	const char *tmp = getenv("TMPDIR");
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	snprintf(scratch_dir, sizeof scratch_dir, "%s/fuzz-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch_dir))
		abort();
	snprintf(in_path, sizeof in_path, "%s/in.conf", scratch_dir);
	snprintf(out_path, sizeof out_path, "%s/out.conf", scratch_dir);
	atexit(scratch_remove);
}

/* Writes data[size] to in_path with mode 0600. */
static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(in_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n <= 0)
			abort();
		data += n;
		size -= (size_t)n;
	}
	close(fd);
}

/* Saves cfg to out_path, reloads it and aborts unless it is the same. */
static void check_round_trip(rc_config *cfg)
{
	char err[1024];
	free(cfg->path);
	cfg->path = strdup(out_path);
	if (!cfg->path || rc_config_save(cfg, err, sizeof err) != 0) {
		fprintf(stderr, "save failed: %s\n", err);
		abort();
	}
	rc_config *back = NULL;
	if (rc_config_load(out_path, &back, err, sizeof err) != 0) {
		fprintf(stderr, "saved file does not load: %s\n", err);
		abort();
	}
	if (back->refresh != cfg->refresh || back->scrollback != cfg->scrollback ||
	    back->n_servers != cfg->n_servers)
		abort();
	for (size_t i = 0; i < cfg->n_servers; i++)
		if (!rc_profile_equal(&cfg->servers[i], &back->servers[i])) {
			fprintf(stderr, "profile %zu differs after the round trip\n", i);
			abort();
		}
	rc_config_free(back);
}

/* Tells LeakSanitizer to ignore libconfig 1.5's own leak: a string literal
 * followed by a syntax error (s = "a" b;) leaks the parser's string buffer
 * inside libconfig, which rconsole cannot free. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libconfig.so\n";
}

/* Loads one input; checks the round trip when it loads. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	scratch_init();
	write_input(data, size);
	rc_config *cfg = NULL;
	char err[1024];
	if (rc_config_load(in_path, &cfg, err, sizeof err) == 0) {
		check_round_trip(cfg);
		rc_config_free(cfg);
	}
	return 0;
}
