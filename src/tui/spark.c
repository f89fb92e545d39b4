/* spark.c: sparklines from a short series of counts. */
#include <string.h>

#include "tui/spark.h"

static const char *const spark_bars_utf8[SPARK_LEVELS] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"
};
static const char spark_bars_ascii[SPARK_LEVELS + 1] = "_.:-=+*#";

/* Maps v onto a bar level. */
int spark_level(int v, int max)
{
	if (v < 0)
		return -1;
	if (v == 0 || max <= 0)
		return 0;
	if (v >= max)
		return SPARK_LEVELS - 1;
	/* Rounded share of the seven bars above the lowest, at least one. */
	long lvl = ((long)v * (SPARK_LEVELS - 1) + max / 2) / max;
	return lvl < 1 ? 1 : (int)lvl;
}

/* Renders the tail of vals as a sparkline. */
size_t spark_render(const int *vals, size_t n, size_t width, bool utf8, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	out[0] = '\0';
	size_t shown = n < width ? n : width;
	const int *v = vals + (n - shown);
	int max = 0;
	for (size_t i = 0; i < shown; i++)
		if (v[i] > max)
			max = v[i];
	size_t o = 0, cols = 0;
	for (size_t i = 0; i < shown; i++) {
		int lvl = spark_level(v[i], max);
		const char *bar;
		char one[2] = { ' ', '\0' };
		if (lvl < 0)
			bar = one;
		else if (utf8)
			bar = spark_bars_utf8[lvl];
		else {
			one[0] = spark_bars_ascii[lvl];
			bar = one;
		}
		size_t bl = strlen(bar);
		if (o + bl + 1 > cap)
			break;
		memcpy(out + o, bar, bl);
		o += bl;
		cols++;
	}
	out[o] = '\0';
	return cols;
}
