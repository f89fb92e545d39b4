/* metrics.h: `rconsole --metrics [ADDR:]PORT` and `--metrics-file PATH` —
 * headless monitoring in the Prometheus text exposition format (issue 12). */
#ifndef RCONSOLE_CLI_METRICS_H
#define RCONSOLE_CLI_METRICS_H

#include <stddef.h>

#include "app/app.h"
#include "cli/options.h"

/* Runs headless until SIGTERM/SIGINT: every profile (or the named/tagged
 * ones), read-only, serving GET /metrics and/or writing the metrics file.
 * Returns the exit status. */
int metrics_run(const cli_opts *o);
typedef struct metrics_server metrics_server;

/* Starts serving a's metrics on listen ("[ADDR:]PORT", ADDR default
 * 127.0.0.1; NULL = no HTTP) and/or writing them to file (NULL = none),
 * refreshed from loop once a second.  Returns NULL with err filled (bad
 * address, cannot listen).  metrics_serve_free stops and frees it; call it
 * before freeing a or the loop. */
metrics_server *metrics_serve(rc_loop *loop, app *a, const char *listen, const char *file,
    char *err, size_t cap);
/* Stops the endpoint and frees m.  NULL is a no-op. */
void metrics_serve_free(metrics_server *m);
/* Loads libmicrohttpd (once; metrics_serve does it when it listens):
 * returns 0, or -1 with err filled ("libmicrohttpd (SONAME): why"). */
int metrics_http_load(char *err, size_t cap);
/* Renders the metrics of every server of a into a malloc'd string (caller
 * frees); *len gets its length.  NULL when out of memory. */
char *metrics_render(app *a, size_t *len);

#endif
