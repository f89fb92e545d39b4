#!/bin/sh
# console-noargs.sh: a console command that takes no arguments refuses a
# line with some, with its usage, and does nothing.  Before, `:quit extra`
# quit (and :help, :info, :add, :save ran), ignoring the extra words.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_mcsim alpha --port 0 --players 1
write_alpha_config
cp "$CFG" "$W/cfg.before"

start_tui 100x24 --config "$CFG"
wait_screen '│● alpha '
for c in quit help info add save; do
	type_text ":$c extra words"
	keys Enter
	wait_screen "usage: :$c \(takes no arguments; nothing done\)"
	[ -e "$W/exit" ] && fail ":$c extra words ended the console"
done
screen | grep -q 'any key closes' && fail "a refused command opened an overlay"
cmp -s "$CFG" "$W/cfg.before" || fail "a refused :save or :add wrote the configuration"
# Blanks after the name are no arguments.
type_text ":quit  "
keys Enter
[ "$(wait_exit)" = 0 ] || fail ":quit did not exit 0"
exit 0
