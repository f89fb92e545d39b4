#!/bin/sh
# add-case.sh: :add refuses a name that differs from a server's only in case
# at the name question, as it refuses the very same name.  The profile
# module takes "Alpha" and "alpha" for one name; the wizard compared names
# exactly, so "Alpha" passed the name question (no "name taken" beside it)
# and the admin was walked through host, port, tags, read-only and the
# password, only to have everything refused at the end.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 1 -c 'refresh = 0;'
type_text ':add'
keys Enter
wait_screen 'new server name:'
type_text 'ALPHA'
wait_screen 'new server name: ALPHA .*name taken'
keys Enter
wait_screen "there is already a server named 'alpha' \\(case aside"
screen | grep -q 'host\[:port\]' && fail "the wizard went on to the host"
# Asked again, with what was typed; another name goes on as usual.
type_text '2'
wait_screen 'new server name: ALPHA2'
keys C-u
type_text 'alpha2'
keys Enter
wait_screen 'host\[:port\]:'
keys Escape
wait_screen ':add cancelled'
grep -q 'ALPHA\|alpha2' "$CFG" && fail "something was saved: $(cat "$CFG")"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
