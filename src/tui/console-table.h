/* console-table.h: the console commands typed after ':' — name, usage and
 * help — as one X-macro list, and the table made from it.
 *
 * console.c makes its handler table from the same list (con_<name>, so a
 * command without a handler does not compile) and complete.c completes the
 * names from console_table, so the console, its help and Tab can never
 * disagree.  console-table.c is pure (no curses, no app) and links into the
 * completion's unit test alone.  The order is the help overlay's. */
#ifndef RCONSOLE_TUI_CONSOLE_TABLE_H
#define RCONSOLE_TUI_CONSOLE_TABLE_H

#include <stddef.h>

/* X(name, usage, help): name is a C identifier (the handler is con_<name>). */
#define CONSOLE_TABLE(X) \
	X(all, "CMD", "run CMD on every server") \
	X(tag, "TAG CMD", "run CMD on the servers tagged TAG") \
	X(connect, "[NAME]", "connect a server (the selected one)") \
	X(disconnect, "[NAME]", "disconnect a server (the selected one)") \
	X(add, "", "add a server: name, host:port, tags, read-only, password") \
	X(save, "", "save the profiles (a -H server: save it as a profile)") \
	X(info, "", "details of the selected server (F2)") \
	X(rehash, "[NAME]", "read the server's command list again (for Tab and hints)") \
	X(help, "", "show this help") \
	X(quit, "", "leave rconsole")

/* One console command (without its ':'). */
typedef struct console_entry {
	const char *name;
	const char *usage;
	const char *help;
} console_entry;

/* The console commands, in help order; console_table_n of them. */
extern const console_entry console_table[];
extern const size_t console_table_n;

#endif
