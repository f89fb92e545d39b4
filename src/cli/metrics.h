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
/* Renders the metrics of every server of a into a malloc'd string (caller
 * frees); *len gets its length.  NULL when out of memory. */
char *metrics_render(app *a, size_t *len);

#endif
