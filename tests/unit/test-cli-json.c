/* test-cli-json.c: the JSON writer of --json (src/cli/json.c): commas and
 * nesting, escaping, and strings made terminal-safe and valid UTF-8. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"

static char *buf;
static size_t len;
static FILE *mem;
static json_w j;

static void open_mem(void)
{
	mem = open_memstream(&buf, &len);
	cr_assert_not_null(mem);
	json_init(&j, mem);
}

/* Closes the stream and returns what was written. */
static const char *written(void)
{
	fclose(mem);
	mem = NULL;
	return buf;
}

static void free_mem(void)
{
	if (mem)
		fclose(mem);
	free(buf);
	buf = NULL;
}

TestSuite(json, .init = open_mem, .fini = free_mem);

Test(json, commas_and_nesting)
{
	json_object_begin(&j);
	json_key(&j, "a");
	json_int(&j, -5);
	json_key(&j, "b");
	json_array_begin(&j);
	json_bool(&j, true);
	json_null(&j);
	json_array_begin(&j);
	json_array_end(&j);
	json_object_begin(&j);
	json_object_end(&j);
	json_string(&j, NULL);
	json_array_end(&j);
	json_key(&j, "c");
	json_fixed3(&j, 1234);
	json_key(&j, "d");
	json_fixed3(&j, -7);
	json_key(&j, "e");
	json_fixed3(&j, 0);
	json_object_end(&j);
	json_finish(&j);
	cr_assert_str_eq(written(),
	    "{\"a\":-5,\"b\":[true,null,[],{},null],\"c\":1.234,\"d\":-0.007,\"e\":0.000}\n");
}

Test(json, quotes_and_backslashes_are_escaped)
{
	json_string(&j, "say \"hi\" \\ bye");
	cr_assert_str_eq(written(), "\"say \\\"hi\\\" \\\\ bye\"");
}

Test(json, control_characters_never_pass)
{
	/* ESC, a C1 CSI, DEL, NUL, newline: none may reach the document raw,
	 * nor as an escape that a reader would turn back into the control. */
	static const char in[] = "a\x1b[2Jb\xc2\x9b" "c\x7f" "d\n\te\0f";
	json_string_len(&j, in, sizeof in - 1);
	const char *out = written();
	for (const char *p = out; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f, "raw control in %s", out);
	cr_assert_null(strstr(out, "\\u00"), "no escaped control either: %s", out);
	cr_assert_null(strstr(out, "\xc2\x9b"), "no C1: %s", out);
	cr_assert(strstr(out, "\xe2\x90\x9b"), "ESC shows as its picture: %s", out);
	cr_assert(strstr(out, "f\""), "the bytes after a NUL are kept: %s", out);
}

Test(json, invalid_utf8_becomes_replacement_characters)
{
	json_string(&j, "Bad\xff\xfe ok \xe2\x82");
	const char *out = written();
	cr_assert(strstr(out, "Bad\xef\xbf\xbd"), "%s", out);
	cr_assert_null(strchr(out, '\xff'), "%s", out);
	cr_assert(strstr(out, " ok "), "%s", out);
}

Test(json, utf8_text_is_kept)
{
	json_string(&j, "Zo\xc3\xab \xe2\x9c\x93 \xf0\x9f\x98\x80");
	cr_assert_str_eq(written(), "\"Zo\xc3\xab \xe2\x9c\x93 \xf0\x9f\x98\x80\"");
}
