#!/bin/sh
# overrides.sh: the command line's --timeout and --dialect win over the
# profile's in the console, as they do in one-shot runs (they reached only
# -c runs before: the console built every connection from its profile).
# alpha's profile says timeout = 30 and no dialect; the console is started
# read-only with --timeout 1 --dialect source against a Source mcsim that
# answers one command and then hangs.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -m '--dialect source --hang-after 1' -e 'timeout = 30; ' 120x24 \
    -r --timeout 1 --dialect source

# Source: a read-only line holding ';' is refused, saying why (the Source
# console would run what follows it); under the profile's Minecraft
# dialect it matched 'help ?' and went out, and mcsim ran the stop behind it.
type_text 'help x;stop'
keys Enter
wait_screen "refused \\(read-only\\): 'help x;stop' holds ';', which"
grep -Fq 'help x' "$W/alpha.log" && fail "'help x;stop' reached the server"

# --timeout 1: the second list gets no answer and is given up after 1 s,
# not the profile's 30.
type_text 'list'
keys Enter
wait_screen 'There are'
type_text 'list'
keys Enter
wait_screen "no reply to 'list' within 1 s"

keys F10
[ "$(wait_exit)" = 0 ] || fail "F10 did not exit 0"
exit 0
