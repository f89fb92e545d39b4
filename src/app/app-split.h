/* app-split.h: splitting the output vanilla glues together (PROTOCOL.md,
 * "Command output": the messages of one command arrive with no separator).
 *
 * Each splitter takes one line of a reply and returns where the piece that
 * starts at off ends; the caller shows each piece as its own line. */
#ifndef RCONSOLE_APP_SPLIT_H
#define RCONSOLE_APP_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

/* The splitters, by the reply they apply to. */
enum app_split_kind {
	APP_SPLIT_NONE = 0,
	APP_SPLIT_HELP,      /* `help [...]`: one usage per line */
	APP_SPLIT_LIST       /* the list command: 1.12's "...online:" + names */
};

/* Returns the splitter for the reply to cmd: help for `help` (with or
 * without arguments), list for the server's list command list_cmd. */
enum app_split_kind app_split_for(const char *cmd, const char *list_cmd);
/* Returns the end of the piece of s[len] that starts at off (len when the
 * rest is one piece).
 *  HELP: a new usage starts at a '/' followed by a letter, outside any
 *        (), [] or <> (so "(/help <page>)" and "<a>/<b>" stay whole), and
 *        not after a space or a § code ("--- page 1 (/help <page>) ---/ban ..." splits
 *        before "/ban", "/time (add|query|set)/warp" before "/warp").
 *  LIST: "There are 2/20 players online:Alice, Bob" splits after the colon
 *        when names follow it directly (1.12 and older); nothing else. */
size_t app_split_next(enum app_split_kind kind, const char *s, size_t len, size_t off);

#endif
