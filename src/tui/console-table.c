/* console-table.c: the table of console commands (see console-table.h). */
#include "tui/console-table.h"

#define CONSOLE_ENTRY(name, usage, help) { #name, usage, help },

/* Every console command, from the one list in console-table.h. */
const console_entry console_table[] = { CONSOLE_TABLE(CONSOLE_ENTRY) };

/* How many there are. */
const size_t console_table_n = sizeof(console_table) / sizeof(console_table[0]);
