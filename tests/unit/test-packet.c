/* test-packet.c: codec round trips and every kind of malformed input. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"

Test(packet, round_trip_bodies)
{
	static const char *bodies[] = { "", "a", "list", "say héllo §aworld" };
	uint8_t buf[256];
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		size_t len = strlen(bodies[i]);
		long n = rc_packet_encode(buf, sizeof buf, 42 + (int)i, RC_TYPE_EXEC, bodies[i], len);
		cr_assert_eq(n, (long)(len + 14));
		rc_packet p;
		size_t used = 0;
		cr_assert_eq(rc_packet_decode(buf, (size_t)n, 0, &p, &used, NULL), RC_DECODE_OK);
		cr_assert_eq(used, (size_t)n);
		cr_assert_eq(p.id, 42 + (int)i);
		cr_assert_eq(p.type, RC_TYPE_EXEC);
		cr_assert_eq(p.body_len, len);
		cr_assert(memcmp(p.body, bodies[i], len) == 0);
	}
}

Test(packet, negative_ids_and_types_survive)
{
	uint8_t buf[32];
	long n = rc_packet_encode(buf, sizeof buf, -1, 100, NULL, 0);
	rc_packet p;
	cr_assert_eq(rc_packet_decode(buf, (size_t)n, 0, &p, NULL, NULL), RC_DECODE_OK);
	cr_assert_eq(p.id, -1);
	cr_assert_eq(p.type, 100);
}

Test(packet, wire_layout_is_little_endian)
{
	uint8_t buf[32];
	rc_packet_encode(buf, sizeof buf, 0x01020304, 3, "pw", 2);
	static const uint8_t want[] = { 12, 0, 0, 0, 4, 3, 2, 1, 3, 0, 0, 0, 'p', 'w', 0, 0 };
	cr_assert(memcmp(buf, want, sizeof want) == 0);
}

Test(packet, encode_refuses_small_buffer)
{
	uint8_t buf[15];
	cr_assert_eq(rc_packet_encode(buf, sizeof buf, 1, 2, "ab", 2), RC_EINVAL);
}

Test(packet, every_prefix_needs_more)
{
	uint8_t buf[64];
	long n = rc_packet_encode(buf, sizeof buf, 7, 0, "hello", 5);
	for (long k = 0; k < n; k++) {
		rc_packet p;
		cr_assert_eq(rc_packet_decode(buf, (size_t)k, 0, &p, NULL, NULL), RC_DECODE_NEED_MORE,
		    "prefix of %ld bytes", k);
	}
}

Test(packet, two_packets_decode_one_at_a_time)
{
	uint8_t buf[64];
	long a = rc_packet_encode(buf, sizeof buf, 1, 0, "one", 3);
	long b = rc_packet_encode(buf + a, sizeof buf - (size_t)a, 2, 0, "two", 3);
	rc_packet p;
	size_t used;
	cr_assert_eq(rc_packet_decode(buf, (size_t)(a + b), 0, &p, &used, NULL), RC_DECODE_OK);
	cr_assert_eq(p.id, 1);
	cr_assert_eq(rc_packet_decode(buf + used, (size_t)(a + b) - used, 0, &p, &used, NULL), RC_DECODE_OK);
	cr_assert_eq(p.id, 2);
}

struct bad_case {
	uint8_t bytes[20];
	size_t len;
	size_t max;
	const char *why;
};

ParameterizedTestParameters(packet, malformed)
{
	static struct bad_case cases[] = {
		{ { 0xff, 0xff, 0xff, 0xff }, 4, 0, "negative length" },
		{ { 9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, 13, 0, "length 9" },
		{ { 0, 0, 0, 0 }, 4, 0, "length 0" },
		{ { 0, 0, 0, 0x7f }, 4, 0, "huge length" },
		{ { 0x01, 0x00, 0x10, 0x00 }, 4, 0, "just over 1 MiB" },
		{ { 20, 0, 0, 0 }, 4, 16, "over the caller's limit" },
		{ { 10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 'x', 0 }, 14, 0, "first NUL missing" },
		{ { 10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 'x' }, 14, 0, "second NUL missing" },
		{ { 11, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c' }, 15, 0, "no NULs (length lies)" },
		{ { 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P' }, 10, 0, "garbage (HTTP)" },
	};
	return cr_make_param_array(struct bad_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_case *c, packet, malformed)
{
	rc_packet p;
	const char *cause = NULL;
	cr_assert_eq(rc_packet_decode(c->bytes, c->len, c->max, &p, NULL, &cause), RC_DECODE_MALFORMED,
	    "%s", c->why);
	cr_assert_not_null(cause);
	cr_assert_gt(strlen(cause), 0);
}

Test(packet, length_that_lies_short_waits_then_fails_on_nuls)
{
	/* Length says 12 but the body+NULs take 14: the decoder reads 12 bytes
	 * and finds non-NUL where the terminators should be. */
	uint8_t buf[32];
	long n = rc_packet_encode(buf, sizeof buf, 5, 0, "abcd", 4);
	rc_le32_put(buf, 12);
	rc_packet p;
	cr_assert_eq(rc_packet_decode(buf, (size_t)n, 0, &p, NULL, NULL), RC_DECODE_MALFORMED);
}

Test(packet, error_strings_and_exit_codes)
{
	cr_assert_str_eq(rc_strerror(RC_EAUTH), "authentication failed");
	cr_assert_eq(rc_exit_code(RC_EAUTH), 4);
	cr_assert_eq(rc_exit_code(RC_ECONNECT), 3);
	cr_assert_eq(rc_exit_code(RC_EPROTO), 5);
	cr_assert_eq(rc_exit_code(RC_EREADONLY), 1);
	cr_assert_eq(rc_exit_code(RC_ECONFIG), 2);
	cr_assert_str_eq(rc_strerror(12345), "unknown error");
}

Test(packet, timeout_text_in_seconds_when_whole)
{
	char b[24];
	/* The same setting read "within 10 s" in one message and "within
	 * 10000 ms" in another: whole seconds are always said in seconds. */
	cr_assert_str_eq(rc_timeout_text(b, sizeof b, 10000), "10 s");
	cr_assert_str_eq(rc_timeout_text(b, sizeof b, 1000), "1 s");
	cr_assert_str_eq(rc_timeout_text(b, sizeof b, 1500), "1500 ms");
	cr_assert_str_eq(rc_timeout_text(b, sizeof b, 200), "200 ms");
	cr_assert_str_eq(rc_timeout_text(b, sizeof b, 0), "0 ms");
}
