/* text.c: terminal-safe text — UTF-8 decoding, sanitising and display width.
 *
 * Server replies are untrusted bytes (PROTOCOL.md: malformed input, hostile
 * panels, mcsim --hostile).  This file is the one sanitiser of rconsole: the
 * one-shot output (plain, --color, --players, --status) and the console (its
 * transcript and everything it draws) all step through rc_text_safe_next().
 * It turns any bytes into valid UTF-8 that cannot move a terminal's cursor,
 * change its state, reorder what it shows or hide text:
 *   - invalid UTF-8 -> U+FFFD, one per maximal subpart (Unicode 15 section
 *     3.9, "U+FFFD substitution of maximal subparts", as the WHATWG decoder
 *     does): overlongs (C0 80, E0 80 80), surrogates (ED A0 80), code points
 *     past U+10FFFF and truncated sequences are all caught here;
 *   - C0 controls not listed in keep -> the visible control picture U+2400+c
 *     (NUL -> U+2400, ESC -> U+241B "␛"), so the reader sees that something
 *     was there and what it was;
 *   - DEL -> U+2421 "␡";
 *   - C1 controls U+0080-U+009F (raw bytes are invalid UTF-8 already; the
 *     2-byte forms C2 80..C2 9F decode to them) -> U+FFFD: CSI (U+009B) is an
 *     escape introducer on some terminals;
 *   - ESC is never kept, even when keep lists it;
 *   - invisible format characters -> U+FFFD, shown, never dropped, so text
 *     cannot be hidden or disguised ("Al<ZWSP>ice" is not "Alice"): the bidi
 *     marks, embeddings, overrides and isolates that reorder a line in a
 *     bidi-aware terminal (UAX #9, "Trojan Source": U+061C, U+200E/F,
 *     U+202A-202E, U+2066-2069), zero-width space and non-joiner, word
 *     joiner and invisible operators (U+200B/C, U+2060-2064), the
 *     deprecated format controls U+206A-206F, U+FEFF, U+180E, the line and
 *     paragraph separators U+2028/9, the interlinear annotation controls
 *     U+FFF9-FFFB and the tag characters U+E0000-E007F;
 *   - the zero width joiner U+200D right after an emoji (or an emoji and its
 *     presentation selector) is dropped: an emoji ZWJ sequence such as
 *     man+ZWJ+woman+ZWJ+girl shows as its visible parts, so every program on
 *     the way (curses, tmux, the terminal) gives it the same width; tmux 3.3
 *     draws the joined family in 2 columns where wcwidth() counts 6, which
 *     left stale cells behind it.  A ZWJ anywhere else is U+FFFD;
 *   - the presentation selectors U+FE0E/U+FE0F are dropped: terminals
 *     disagree on whether U+FE0F widens the character before it.
 * Every input byte grows to at most 3 output bytes.
 *
 * rc_text_width() does not use wcwidth(3): that depends on the locale (it
 * answers -1 for all non-ASCII under LANG=C).  The tables below were
 * generated from the Unicode 14 character database: zero width = general
 * categories Mn, Me, Cf plus Hangul medial/final jamo U+1160-U+11FF (not
 * U+00AD SOFT HYPHEN); double width = East Asian Width W or F, with planes 2
 * and 3 whole.  Runs of unassigned code points between two ranges were
 * merged into them to keep the tables short. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

struct text_range {
	uint32_t lo;
	uint32_t hi;
};

static const struct text_range text_zero[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x05BF, 0x05BF },
	{ 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 }, { 0x0600, 0x0605 },
	{ 0x0610, 0x061A }, { 0x061C, 0x061C }, { 0x064B, 0x065F }, { 0x0670, 0x0670 },
	{ 0x06D6, 0x06DD }, { 0x06DF, 0x06E4 }, { 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED },
	{ 0x070F, 0x070F }, { 0x0711, 0x0711 }, { 0x0730, 0x074A }, { 0x07A6, 0x07B0 },
	{ 0x07EB, 0x07F3 }, { 0x07FD, 0x07FD }, { 0x0816, 0x0819 }, { 0x081B, 0x0823 },
	{ 0x0825, 0x0827 }, { 0x0829, 0x082D }, { 0x0859, 0x085B }, { 0x0890, 0x089F },
	{ 0x08CA, 0x0902 }, { 0x093A, 0x093A }, { 0x093C, 0x093C }, { 0x0941, 0x0948 },
	{ 0x094D, 0x094D }, { 0x0951, 0x0957 }, { 0x0962, 0x0963 }, { 0x0981, 0x0981 },
	{ 0x09BC, 0x09BC }, { 0x09C1, 0x09C4 }, { 0x09CD, 0x09CD }, { 0x09E2, 0x09E3 },
	{ 0x09FE, 0x0A02 }, { 0x0A3C, 0x0A3C }, { 0x0A41, 0x0A51 }, { 0x0A70, 0x0A71 },
	{ 0x0A75, 0x0A75 }, { 0x0A81, 0x0A82 }, { 0x0ABC, 0x0ABC }, { 0x0AC1, 0x0AC8 },
	{ 0x0ACD, 0x0ACD }, { 0x0AE2, 0x0AE3 }, { 0x0AFA, 0x0B01 }, { 0x0B3C, 0x0B3C },
	{ 0x0B3F, 0x0B3F }, { 0x0B41, 0x0B44 }, { 0x0B4D, 0x0B56 }, { 0x0B62, 0x0B63 },
	{ 0x0B82, 0x0B82 }, { 0x0BC0, 0x0BC0 }, { 0x0BCD, 0x0BCD }, { 0x0C00, 0x0C00 },
	{ 0x0C04, 0x0C04 }, { 0x0C3C, 0x0C3C }, { 0x0C3E, 0x0C40 }, { 0x0C46, 0x0C56 },
	{ 0x0C62, 0x0C63 }, { 0x0C81, 0x0C81 }, { 0x0CBC, 0x0CBC }, { 0x0CBF, 0x0CBF },
	{ 0x0CC6, 0x0CC6 }, { 0x0CCC, 0x0CCD }, { 0x0CE2, 0x0CE3 }, { 0x0D00, 0x0D01 },
	{ 0x0D3B, 0x0D3C }, { 0x0D41, 0x0D44 }, { 0x0D4D, 0x0D4D }, { 0x0D62, 0x0D63 },
	{ 0x0D81, 0x0D81 }, { 0x0DCA, 0x0DCA }, { 0x0DD2, 0x0DD6 }, { 0x0E31, 0x0E31 },
	{ 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E }, { 0x0EB1, 0x0EB1 }, { 0x0EB4, 0x0EBC },
	{ 0x0EC8, 0x0ECD }, { 0x0F18, 0x0F19 }, { 0x0F35, 0x0F35 }, { 0x0F37, 0x0F37 },
	{ 0x0F39, 0x0F39 }, { 0x0F71, 0x0F7E }, { 0x0F80, 0x0F84 }, { 0x0F86, 0x0F87 },
	{ 0x0F8D, 0x0FBC }, { 0x0FC6, 0x0FC6 }, { 0x102D, 0x1030 }, { 0x1032, 0x1037 },
	{ 0x1039, 0x103A }, { 0x103D, 0x103E }, { 0x1058, 0x1059 }, { 0x105E, 0x1060 },
	{ 0x1071, 0x1074 }, { 0x1082, 0x1082 }, { 0x1085, 0x1086 }, { 0x108D, 0x108D },
	{ 0x109D, 0x109D }, { 0x1160, 0x11FF }, { 0x135D, 0x135F }, { 0x1712, 0x1714 },
	{ 0x1732, 0x1733 }, { 0x1752, 0x1753 }, { 0x1772, 0x1773 }, { 0x17B4, 0x17B5 },
	{ 0x17B7, 0x17BD }, { 0x17C6, 0x17C6 }, { 0x17C9, 0x17D3 }, { 0x17DD, 0x17DD },
	{ 0x180B, 0x180F }, { 0x1885, 0x1886 }, { 0x18A9, 0x18A9 }, { 0x1920, 0x1922 },
	{ 0x1927, 0x1928 }, { 0x1932, 0x1932 }, { 0x1939, 0x193B }, { 0x1A17, 0x1A18 },
	{ 0x1A1B, 0x1A1B }, { 0x1A56, 0x1A56 }, { 0x1A58, 0x1A60 }, { 0x1A62, 0x1A62 },
	{ 0x1A65, 0x1A6C }, { 0x1A73, 0x1A7F }, { 0x1AB0, 0x1B03 }, { 0x1B34, 0x1B34 },
	{ 0x1B36, 0x1B3A }, { 0x1B3C, 0x1B3C }, { 0x1B42, 0x1B42 }, { 0x1B6B, 0x1B73 },
	{ 0x1B80, 0x1B81 }, { 0x1BA2, 0x1BA5 }, { 0x1BA8, 0x1BA9 }, { 0x1BAB, 0x1BAD },
	{ 0x1BE6, 0x1BE6 }, { 0x1BE8, 0x1BE9 }, { 0x1BED, 0x1BED }, { 0x1BEF, 0x1BF1 },
	{ 0x1C2C, 0x1C33 }, { 0x1C36, 0x1C37 }, { 0x1CD0, 0x1CD2 }, { 0x1CD4, 0x1CE0 },
	{ 0x1CE2, 0x1CE8 }, { 0x1CED, 0x1CED }, { 0x1CF4, 0x1CF4 }, { 0x1CF8, 0x1CF9 },
	{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x206F },
	{ 0x20D0, 0x20F0 }, { 0x2CEF, 0x2CF1 }, { 0x2D7F, 0x2D7F }, { 0x2DE0, 0x2DFF },
	{ 0x302A, 0x302D }, { 0x3099, 0x309A }, { 0xA66F, 0xA672 }, { 0xA674, 0xA67D },
	{ 0xA69E, 0xA69F }, { 0xA6F0, 0xA6F1 }, { 0xA802, 0xA802 }, { 0xA806, 0xA806 },
	{ 0xA80B, 0xA80B }, { 0xA825, 0xA826 }, { 0xA82C, 0xA82C }, { 0xA8C4, 0xA8C5 },
	{ 0xA8E0, 0xA8F1 }, { 0xA8FF, 0xA8FF }, { 0xA926, 0xA92D }, { 0xA947, 0xA951 },
	{ 0xA980, 0xA982 }, { 0xA9B3, 0xA9B3 }, { 0xA9B6, 0xA9B9 }, { 0xA9BC, 0xA9BD },
	{ 0xA9E5, 0xA9E5 }, { 0xAA29, 0xAA2E }, { 0xAA31, 0xAA32 }, { 0xAA35, 0xAA36 },
	{ 0xAA43, 0xAA43 }, { 0xAA4C, 0xAA4C }, { 0xAA7C, 0xAA7C }, { 0xAAB0, 0xAAB0 },
	{ 0xAAB2, 0xAAB4 }, { 0xAAB7, 0xAAB8 }, { 0xAABE, 0xAABF }, { 0xAAC1, 0xAAC1 },
	{ 0xAAEC, 0xAAED }, { 0xAAF6, 0xAAF6 }, { 0xABE5, 0xABE5 }, { 0xABE8, 0xABE8 },
	{ 0xABED, 0xABED }, { 0xFB1E, 0xFB1E }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
	{ 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB }, { 0x101FD, 0x101FD }, { 0x102E0, 0x102E0 },
	{ 0x10376, 0x1037A }, { 0x10A01, 0x10A0F }, { 0x10A38, 0x10A3F }, { 0x10AE5, 0x10AE6 },
	{ 0x10D24, 0x10D27 }, { 0x10EAB, 0x10EAC }, { 0x10F46, 0x10F50 }, { 0x10F82, 0x10F85 },
	{ 0x11001, 0x11001 }, { 0x11038, 0x11046 }, { 0x11070, 0x11070 }, { 0x11073, 0x11074 },
	{ 0x1107F, 0x11081 }, { 0x110B3, 0x110B6 }, { 0x110B9, 0x110BA }, { 0x110BD, 0x110BD },
	{ 0x110C2, 0x110CD }, { 0x11100, 0x11102 }, { 0x11127, 0x1112B }, { 0x1112D, 0x11134 },
	{ 0x11173, 0x11173 }, { 0x11180, 0x11181 }, { 0x111B6, 0x111BE }, { 0x111C9, 0x111CC },
	{ 0x111CF, 0x111CF }, { 0x1122F, 0x11231 }, { 0x11234, 0x11234 }, { 0x11236, 0x11237 },
	{ 0x1123E, 0x1123E }, { 0x112DF, 0x112DF }, { 0x112E3, 0x112EA }, { 0x11300, 0x11301 },
	{ 0x1133B, 0x1133C }, { 0x11340, 0x11340 }, { 0x11366, 0x11374 }, { 0x11438, 0x1143F },
	{ 0x11442, 0x11444 }, { 0x11446, 0x11446 }, { 0x1145E, 0x1145E }, { 0x114B3, 0x114B8 },
	{ 0x114BA, 0x114BA }, { 0x114BF, 0x114C0 }, { 0x114C2, 0x114C3 }, { 0x115B2, 0x115B5 },
	{ 0x115BC, 0x115BD }, { 0x115BF, 0x115C0 }, { 0x115DC, 0x115DD }, { 0x11633, 0x1163A },
	{ 0x1163D, 0x1163D }, { 0x1163F, 0x11640 }, { 0x116AB, 0x116AB }, { 0x116AD, 0x116AD },
	{ 0x116B0, 0x116B5 }, { 0x116B7, 0x116B7 }, { 0x1171D, 0x1171F }, { 0x11722, 0x11725 },
	{ 0x11727, 0x1172B }, { 0x1182F, 0x11837 }, { 0x11839, 0x1183A }, { 0x1193B, 0x1193C },
	{ 0x1193E, 0x1193E }, { 0x11943, 0x11943 }, { 0x119D4, 0x119DB }, { 0x119E0, 0x119E0 },
	{ 0x11A01, 0x11A0A }, { 0x11A33, 0x11A38 }, { 0x11A3B, 0x11A3E }, { 0x11A47, 0x11A47 },
	{ 0x11A51, 0x11A56 }, { 0x11A59, 0x11A5B }, { 0x11A8A, 0x11A96 }, { 0x11A98, 0x11A99 },
	{ 0x11C30, 0x11C3D }, { 0x11C3F, 0x11C3F }, { 0x11C92, 0x11CA7 }, { 0x11CAA, 0x11CB0 },
	{ 0x11CB2, 0x11CB3 }, { 0x11CB5, 0x11CB6 }, { 0x11D31, 0x11D45 }, { 0x11D47, 0x11D47 },
	{ 0x11D90, 0x11D91 }, { 0x11D95, 0x11D95 }, { 0x11D97, 0x11D97 }, { 0x11EF3, 0x11EF4 },
	{ 0x13430, 0x13438 }, { 0x16AF0, 0x16AF4 }, { 0x16B30, 0x16B36 }, { 0x16F4F, 0x16F4F },
	{ 0x16F8F, 0x16F92 }, { 0x16FE4, 0x16FE4 }, { 0x1BC9D, 0x1BC9E }, { 0x1BCA0, 0x1CF46 },
	{ 0x1D167, 0x1D169 }, { 0x1D173, 0x1D182 }, { 0x1D185, 0x1D18B }, { 0x1D1AA, 0x1D1AD },
	{ 0x1D242, 0x1D244 }, { 0x1DA00, 0x1DA36 }, { 0x1DA3B, 0x1DA6C }, { 0x1DA75, 0x1DA75 },
	{ 0x1DA84, 0x1DA84 }, { 0x1DA9B, 0x1DAAF }, { 0x1E000, 0x1E02A }, { 0x1E130, 0x1E136 },
	{ 0x1E2AE, 0x1E2AE }, { 0x1E2EC, 0x1E2EF }, { 0x1E8D0, 0x1E8D6 }, { 0x1E944, 0x1E94A },
	{ 0xE0001, 0xE01EF },
};

static const struct text_range text_wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 },
	{ 0x26FA, 0x26FA }, { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
	{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF },
	{ 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x3029 },
	{ 0x302E, 0x303E }, { 0x3041, 0x3096 }, { 0x309B, 0x3247 }, { 0x3250, 0x4DBF },
	{ 0x4E00, 0xA4C6 }, { 0xA960, 0xA97C }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAD9 },
	{ 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6B }, { 0xFF01, 0xFF60 }, { 0xFFE0, 0xFFE6 },
	{ 0x16FE0, 0x16FE3 }, { 0x16FF0, 0x1B2FB }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF },
	{ 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F320 }, { 0x1F32D, 0x1F335 },
	{ 0x1F337, 0x1F37C }, { 0x1F37E, 0x1F393 }, { 0x1F3A0, 0x1F3CA }, { 0x1F3CF, 0x1F3D3 },
	{ 0x1F3E0, 0x1F3F0 }, { 0x1F3F4, 0x1F3F4 }, { 0x1F3F8, 0x1F43E }, { 0x1F440, 0x1F440 },
	{ 0x1F442, 0x1F4FC }, { 0x1F4FF, 0x1F53D }, { 0x1F54B, 0x1F54E }, { 0x1F550, 0x1F567 },
	{ 0x1F57A, 0x1F57A }, { 0x1F595, 0x1F596 }, { 0x1F5A4, 0x1F5A4 }, { 0x1F5FB, 0x1F64F },
	{ 0x1F680, 0x1F6C5 }, { 0x1F6CC, 0x1F6CC }, { 0x1F6D0, 0x1F6D2 }, { 0x1F6D5, 0x1F6DF },
	{ 0x1F6EB, 0x1F6EC }, { 0x1F6F4, 0x1F6FC }, { 0x1F7E0, 0x1F7F0 }, { 0x1F90C, 0x1F93A },
	{ 0x1F93C, 0x1F945 }, { 0x1F947, 0x1F9FF }, { 0x1FA70, 0x1FAF6 }, { 0x20000, 0x3FFFD },
};

/* Returns true when cp lies in one of the n sorted ranges. */
static bool text_in(const struct text_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	if (n == 0 || cp < r[0].lo || cp > r[n - 1].hi)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp > r[mid].hi)
			lo = mid + 1;
		else if (cp < r[mid].lo)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* Invisible format characters, shown as U+FFFD (see the top of this file). */
static const struct text_range text_invisible[] = {
	{ 0x061C, 0x061C },   /* ARABIC LETTER MARK */
	{ 0x180E, 0x180E },   /* MONGOLIAN VOWEL SEPARATOR */
	{ 0x200B, 0x200C },   /* ZWSP, ZWNJ (ZWJ U+200D is handled apart) */
	{ 0x200E, 0x200F },   /* LRM, RLM */
	{ 0x2028, 0x202E },   /* LS, PS, LRE, RLE, PDF, LRO, RLO */
	{ 0x2060, 0x206F },   /* WJ, invisible operators, LRI..PDI, deprecated */
	{ 0xFEFF, 0xFEFF },   /* ZWNBSP / byte order mark */
	{ 0xFFF9, 0xFFFB },   /* interlinear annotation controls */
	{ 0xE0000, 0xE007F }, /* tag characters */
};

/* Emoji that an emoji ZWJ sequence joins: Extended_Pictographic, a little
 * widened (whole blocks), plus the skin tone modifiers inside 1F000-1FAFF. */
static const struct text_range text_emoji[] = {
	{ 0x00A9, 0x00A9 }, { 0x00AE, 0x00AE }, { 0x203C, 0x203C }, { 0x2049, 0x2049 },
	{ 0x2122, 0x2122 }, { 0x2139, 0x2139 }, { 0x2194, 0x21AA }, { 0x231A, 0x23FF },
	{ 0x24C2, 0x24C2 }, { 0x25AA, 0x25FE }, { 0x2600, 0x27BF }, { 0x2934, 0x2935 },
	{ 0x2B05, 0x2B55 }, { 0x3030, 0x3030 }, { 0x303D, 0x303D }, { 0x3297, 0x3299 },
	{ 0x1F000, 0x1FAFF },
};

#define TEXT_N(t) (sizeof (t) / sizeof (t)[0])

/* Decodes one UTF-8 character (see mc.h). */
size_t rc_text_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	*cp = RC_TEXT_BAD;
	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	/* Table 3-7 of the Unicode standard: the first byte fixes the length
	 * and the allowed range of the second byte. */
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1;
		v = p[0] & 0x1Fu;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2;
		v = p[0] & 0x0Fu;
		if (p[0] == 0xE0)
			lo = 0xA0;          /* overlong */
		else if (p[0] == 0xED)
			hi = 0x9F;          /* surrogates */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3;
		v = p[0] & 0x07u;
		if (p[0] == 0xF0)
			lo = 0x90;          /* overlong */
		else if (p[0] == 0xF4)
			hi = 0x8F;          /* past U+10FFFF */
	} else {
		return 1;                   /* 80-C1, F5-FF: never a lead byte */
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || p[i] < lo || p[i] > hi)
			return i;           /* the maximal subpart ends here */
		v = v << 6 | (p[i] & 0x3Fu);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

/* Appends the UTF-8 encoding of cp (< 0x10000) to out; returns the new end. */
static char *text_put3(char *out, uint32_t cp)
{
	*out++ = (char)(0xE0 | cp >> 12);
	*out++ = (char)(0x80 | (cp >> 6 & 0x3F));
	*out++ = (char)(0x80 | (cp & 0x3F));
	return out;
}

/* Returns true when the C0 control c is listed in keep (ESC never is). */
static bool text_kept(const char *keep, uint32_t c)
{
	if (keep == NULL || c == 0 || c == 0x1B)
		return false;
	return strchr(keep, (int)c) != NULL;
}

/* Returns the code point that ends exactly at s[off] (RC_TEXT_BAD when the
 * bytes there are not one valid character); *start gets where it begins. */
static uint32_t text_cp_before(const char *s, size_t off, size_t *start)
{
	for (size_t back = 1; back <= 4 && back <= off; back++) {
		uint32_t cp;
		if (rc_text_decode(s + off - back, back, &cp) == back && cp != RC_TEXT_BAD) {
			*start = off - back;
			return cp;
		}
	}
	*start = off;
	return RC_TEXT_BAD;
}

/* Returns true when the character before s[off] is an emoji, looking past
 * one presentation selector (U+1F3F3 U+FE0F U+200D U+1F308 is a flag). */
static bool text_after_emoji(const char *s, size_t off)
{
	size_t start;
	uint32_t cp = text_cp_before(s, off, &start);
	if (cp == 0xFE0F || cp == 0xFE0E)
		cp = text_cp_before(s, start, &start);
	return cp != RC_TEXT_BAD && text_in(text_emoji, TEXT_N(text_emoji), cp);
}

/* Steps the sanitiser over one character (see mc.h). */
size_t rc_text_safe_next(const char *s, size_t len, size_t off, const char *keep,
    uint32_t *cp, uint32_t *show)
{
	size_t n = rc_text_decode(s + off, len - off, cp);
	uint32_t c = *cp;

	if (c == RC_TEXT_BAD || (c >= 0x80 && c <= 0x9F))
		*show = 0xFFFD;
	else if (c < 0x20)
		*show = text_kept(keep, c) ? c : 0x2400 + c;
	else if (c < 0x7F)
		*show = c;
	else if (c == 0x7F)
		*show = 0x2421;
	else if (c == 0xFE0E || c == 0xFE0F)
		*show = RC_TEXT_DROP;
	else if (c == 0x200D)
		*show = text_after_emoji(s, off) ? RC_TEXT_DROP : 0xFFFD;
	else if (text_in(text_invisible, TEXT_N(text_invisible), c))
		*show = 0xFFFD;
	else
		*show = c;
	return n;
}

/* Makes in[len] harmless for a terminal (see the top of this file). */
char *rc_text_sanitize(const char *in, size_t len, const char *keep, size_t *out_len)
{
	char *out, *o, *shrunk;
	size_t i = 0;

	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (out == NULL)
		return NULL;
	o = out;
	while (i < len) {
		unsigned char b = (unsigned char)in[i];
		uint32_t cp, show;
		size_t n;

		if (b >= 0x20 && b < 0x7F) {
			*o++ = (char)b;
			i++;
			continue;
		}
		n = rc_text_safe_next(in, len, i, keep, &cp, &show);
		if (show == cp) {
			memcpy(o, in + i, n);
			o += n;
		} else if (show < 0x80) {
			*o++ = (char)show;
		} else if (show != RC_TEXT_DROP) {
			o = text_put3(o, show);     /* U+FFFD or a control picture */
		}
		i += n;
	}
	*o = '\0';
	if (out_len)
		*out_len = (size_t)(o - out);
	shrunk = realloc(out, (size_t)(o - out) + 1);
	return shrunk ? shrunk : out;
}

/* Returns the terminal columns of one code point (see mc.h). */
int rc_text_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return 0;
	if (cp < 0x300)
		return 1;
	if (text_in(text_zero, TEXT_N(text_zero), cp))
		return 0;
	if (text_in(text_wide, TEXT_N(text_wide), cp))
		return 2;
	return 1;
}

/* Returns the display width of s[len] as the sanitiser shows it: what it
 * replaces counts as its replacement, what it drops as nothing. */
int rc_text_width(const char *s, size_t len)
{
	size_t i = 0;
	long w = 0;

	while (i < len && w < (long)INT_MAX) {
		uint32_t cp, show;
		i += rc_text_safe_next(s, len, i, "\n\t", &cp, &show);
		if (show != RC_TEXT_DROP)
			w += rc_text_cp_width(show);
	}
	return w > (long)INT_MAX ? INT_MAX : (int)w;
}
