/* test-tui-spark.c: sparkline scaling, empty and constant series, gaps. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/spark.h"

Test(spark, level_scale)
{
	cr_assert_eq(spark_level(0, 20), 0);
	cr_assert_eq(spark_level(20, 20), 7);
	cr_assert_eq(spark_level(1, 100), 1, "a positive count never looks empty");
	cr_assert_eq(spark_level(10, 20), 4);
	cr_assert_eq(spark_level(-1, 20), -1);
	cr_assert_eq(spark_level(5, 0), 0);
}

Test(spark, ascii_ramp)
{
	int v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	char out[64];
	cr_assert_eq(spark_render(v, 8, 8, false, out, sizeof(out)), 8);
	cr_assert_str_eq(out, "_.:-=+*#");
}

Test(spark, utf8_ramp)
{
	int v[] = { 0, 7 };
	char out[64];
	cr_assert_eq(spark_render(v, 2, 8, true, out, sizeof(out)), 2);
	cr_assert_str_eq(out, "\u2581\u2588");
}

Test(spark, empty_series)
{
	char out[8] = "junk";
	cr_assert_eq(spark_render(NULL, 0, 5, true, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "");
}

Test(spark, constant_series)
{
	int v[] = { 3, 3, 3, 3 };
	char out[64];
	spark_render(v, 4, 10, false, out, sizeof(out));
	cr_assert_str_eq(out, "####");
	int z[] = { 0, 0, 0 };
	spark_render(z, 3, 10, false, out, sizeof(out));
	cr_assert_str_eq(out, "___");
}

Test(spark, keeps_the_newest_values)
{
	int v[] = { 100, 0, 0, 2, 4 };
	char out[64];
	cr_assert_eq(spark_render(v, 5, 3, false, out, sizeof(out)), 3);
	/* The 100 scrolled out, so 4 is the maximum. */
	cr_assert_str_eq(out, "_=#");
}

Test(spark, gap_for_unknown)
{
	int v[] = { 2, -1, 2 };
	char out[64];
	spark_render(v, 3, 3, true, out, sizeof(out));
	cr_assert_str_eq(out, "\u2588 \u2588");
}

Test(spark, small_buffer_truncates_whole_bars)
{
	int v[] = { 1, 2, 3, 4 };
	char out[8];
	size_t n = spark_render(v, 4, 4, true, out, sizeof(out));
	cr_assert_eq(n, 2);
	cr_assert_eq(strlen(out), 6);
}
