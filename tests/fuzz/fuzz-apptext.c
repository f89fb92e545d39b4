/* fuzz-apptext.c: libFuzzer target for what the console does to server text
 * before drawing it: app_split_next (help and list splitting),
 * app_log_parse / app_log_chat (log_file lines) and wrap_row (word wrap).
 * The first byte picks the row width for wrapping. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/app-split.h"
#include "tui/utf8.h"
#include "tui/wrap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	if (size < 1)
		return 0;
	int width = data[0] % 48;
	const char *s = (const char *)data + 1;
	size_t len = size - 1;
	for (int kind = APP_SPLIT_NONE; kind <= APP_SPLIT_LIST; kind++) {
		size_t off = 0;
		while (off < len) {
			size_t end = app_split_next((enum app_split_kind)kind, s, len, off);
			if (end <= off || end > len)
				abort();
			off = end;
		}
	}
	app_log_fields f;
	if (app_log_parse(s, len, &f)) {
		if (f.body > len || strlen(f.stamp) != 8)
			abort();
		size_t a, b;
		if (app_log_chat(s + f.body, len - f.body, &a, &b) && !(a < b && b <= len - f.body))
			abort();
	}
	size_t off = 0;
	int rows = 0;
	while (off < len) {
		size_t next;
		size_t n = wrap_row(s, len, off, width, &next);
		if (next <= off || next > len || off + n > len)
			abort();
		if (width >= 2 && utf8_width(s + off, n) > width)
			abort();
		off = next;
		rows++;
	}
	if (len > 0 && rows != wrap_rows(s, len, width, width))
		abort();
	return 0;
}
