# tests/tui/local.mk: console tests (tmux) that belong to no one part of src/
# (src/tui/local.mk lists the console's own and lib.sh).

# The name column as the widest name changes (issue 11).
TUI_E2E_TESTS += tests/tui/namewidth.sh
EXTRA_DIST += tests/tui/namewidth.sh

# Everyday-console QA: defects found driving the real console.
# Tab completes from every player and every server, however many.
TUI_E2E_TESTS += tests/tui/complete-many.sh
EXTRA_DIST += tests/tui/complete-many.sh
# The status bar counts the user's commands a server has not answered.
TUI_E2E_TESTS += tests/tui/waiting.sh
EXTRA_DIST += tests/tui/waiting.sh
# No round trip in the status bar for a server that is not connected.
TUI_E2E_TESTS += tests/tui/offline-rtt.sh
EXTRA_DIST += tests/tui/offline-rtt.sh
# Pasted text that spells the paste's end marker stays pasted text.
TUI_E2E_TESTS += tests/tui/paste-marker.sh
EXTRA_DIST += tests/tui/paste-marker.sh
TUI_E2E_TESTS += tests/tui/paste-split.sh tests/tui/tag-long.sh
EXTRA_DIST += tests/tui/paste-split.sh tests/tui/tag-long.sh
# :connect on a server that refused the password asks for it.
TUI_E2E_TESTS += tests/tui/authfix.sh
EXTRA_DIST += tests/tui/authfix.sh
# A reply that does not follow its command says whose it is.
TUI_E2E_TESTS += tests/tui/reply-order.sh
EXTRA_DIST += tests/tui/reply-order.sh
# A reply cut by the connection's end is shown as far as it came, and said to be cut.
TUI_E2E_TESTS += tests/tui/reply-cut.sh
EXTRA_DIST += tests/tui/reply-cut.sh
# The same when the reply stops coming and the command times out.
TUI_E2E_TESTS += tests/tui/reply-stall.sh
EXTRA_DIST += tests/tui/reply-stall.sh
# A terminal that cannot move the cursor is refused with a reason.
TUI_E2E_TESTS += tests/tui/dumbterm.sh
EXTRA_DIST += tests/tui/dumbterm.sh
# A static rconsole without its twin runs the console itself.
TUI_E2E_TESTS += tests/tui/static-solo.sh
EXTRA_DIST += tests/tui/static-solo.sh
# -p's password reaches the console (through a static build's twin) and is warned of once.
TUI_E2E_TESTS += tests/tui/twin-pass.sh
EXTRA_DIST += tests/tui/twin-pass.sh
# A static rconsole's twin that is itself again, or cannot be run.
TUI_E2E_TESTS += tests/tui/twin-bad.sh
EXTRA_DIST += tests/tui/twin-bad.sh
# Two consoles on one configuration file: both :add land (merge on save).
TUI_E2E_TESTS += tests/tui/save-merge.sh
EXTRA_DIST += tests/tui/save-merge.sh
# The console raises a low soft descriptor limit, and says when the hard one is too low.
TUI_E2E_TESTS += tests/tui/fdlimit.sh
EXTRA_DIST += tests/tui/fdlimit.sh

# Daily-console QA (tuiqa22): defects found driving the real console.
# :add refuses a name that differs from a server's only in case at once.
TUI_E2E_TESTS += tests/tui/add-case.sh
EXTRA_DIST += tests/tui/add-case.sh
# Two consoles on one server both keep their lines in its history file.
TUI_E2E_TESTS += tests/tui/history-two.sh
EXTRA_DIST += tests/tui/history-two.sh
# The details popup (F2) wraps long values and scrolls where it does not fit.
TUI_E2E_TESTS += tests/tui/info-small.sh
EXTRA_DIST += tests/tui/info-small.sh
# Tab cycles on from a typed name that is itself a candidate.
TUI_E2E_TESTS += tests/tui/complete-prefix.sh
EXTRA_DIST += tests/tui/complete-prefix.sh

# Daily-console QA (tuiqa23).
# Tab matches player names without regard to case beyond ASCII.
TUI_E2E_TESTS += tests/tui/complete-unicode.sh
EXTRA_DIST += tests/tui/complete-unicode.sh
# A plugin-coloured name: shown and acted on by its plain name.
TUI_E2E_TESTS += tests/tui/kick-colour.sh
EXTRA_DIST += tests/tui/kick-colour.sh
# ':' in a pane keeps the half-typed line (C-y brings it back).
TUI_E2E_TESTS += tests/tui/colon-keep.sh
EXTRA_DIST += tests/tui/colon-keep.sh
# The help names the keys that select in the server list and player panel.
TUI_E2E_TESTS += tests/tui/help-select.sh
EXTRA_DIST += tests/tui/help-select.sh
# Tab after :all / :tag TAG completes the players of the servers it reaches.
TUI_E2E_TESTS += tests/tui/complete-all.sh
EXTRA_DIST += tests/tui/complete-all.sh
# mcsim's help lists vanilla's aliases (tp -> teleport...): none is unknown.
TUI_E2E_TESTS += tests/tui/tree-alias.sh
EXTRA_DIST += tests/tui/tree-alias.sh
# Ctrl-R shows a long entry's match, with the cursor on it.
TUI_E2E_TESTS += tests/tui/rsearch-long.sh
EXTRA_DIST += tests/tui/rsearch-long.sh
# The help and the player panel show "↑" once scrolled to their end.
TUI_E2E_TESTS += tests/tui/more-above.sh
EXTRA_DIST += tests/tui/more-above.sh
# A narrow terminal's y/N question for :all cuts the command, not the servers.
TUI_E2E_TESTS += tests/tui/confirm-narrow.sh
EXTRA_DIST += tests/tui/confirm-narrow.sh
# A console command that takes no arguments refuses some (`:quit extra`).
TUI_E2E_TESTS += tests/tui/console-noargs.sh
EXTRA_DIST += tests/tui/console-noargs.sh
# Declining a pasted batch's y/N says in the log pane what was not sent.
TUI_E2E_TESTS += tests/tui/paste-declined.sh
EXTRA_DIST += tests/tui/paste-declined.sh
# A listed command asks under a namespace and after execute ... run too.
TUI_E2E_TESTS += tests/tui/confirm-forms.sh
EXTRA_DIST += tests/tui/confirm-forms.sh
# A paste too long for the line never leaves a line cut short to send.
TUI_E2E_TESTS += tests/tui/paste-cut-line.sh
EXTRA_DIST += tests/tui/paste-cut-line.sh
# A 'y' typed on after a y/N question opened does not answer it.
TUI_E2E_TESTS += tests/tui/confirm-typeahead.sh
EXTRA_DIST += tests/tui/confirm-typeahead.sh
# A y in the read of the key that opened a y/N question does not answer it.
TUI_E2E_TESTS += tests/tui/confirm-early.sh
EXTRA_DIST += tests/tui/confirm-early.sh
TUI_E2E_TESTS += tests/tui/overrides.sh
EXTRA_DIST += tests/tui/overrides.sh
# :all sends only where its question said; a changed set asks again.
TUI_E2E_TESTS += tests/tui/confirm-all-changed.sh
EXTRA_DIST += tests/tui/confirm-all-changed.sh
# A burst of lines holding an escape sequence is a paste too.
TUI_E2E_TESTS += tests/tui/paste-escapes.sh
EXTRA_DIST += tests/tui/paste-escapes.sh
# metrics_listen writes its numbers with a decimal point whatever the locale.
TUI_E2E_TESTS += tests/tui/metrics-locale.sh
EXTRA_DIST += tests/tui/metrics-locale.sh
TUI_E2E_TESTS += tests/tui/hook-locale.sh
EXTRA_DIST += tests/tui/hook-locale.sh
TUI_E2E_TESTS += tests/tui/term-name.sh
EXTRA_DIST += tests/tui/term-name.sh
# Tab completes tp's destination and an action prompt's player or game mode.
TUI_E2E_TESTS += tests/tui/complete-prompt.sh
EXTRA_DIST += tests/tui/complete-prompt.sh
# A prompt's question cut for room ends in an ellipsis and its ": ".
TUI_E2E_TESTS += tests/tui/prompt-label.sh
EXTRA_DIST += tests/tui/prompt-label.sh
# A message wider than the bottom row takes the row above too.
TUI_E2E_TESTS += tests/tui/message-wrap.sh
EXTRA_DIST += tests/tui/message-wrap.sh
# A click on "F1 help" in the status bar opens the help.
TUI_E2E_TESTS += tests/tui/click-help.sh
EXTRA_DIST += tests/tui/click-help.sh
# A narrow status bar keeps the server's state, in its short form.
TUI_E2E_TESTS += tests/tui/status-narrow.sh
EXTRA_DIST += tests/tui/status-narrow.sh
# The mouse wheel over the player panel goes through the players.
TUI_E2E_TESTS += tests/tui/wheel-players.sh
EXTRA_DIST += tests/tui/wheel-players.sh
# A server name cut in the prompt ends in the ellipsis other cut names have.
TUI_E2E_TESTS += tests/tui/prompt-name.sh
EXTRA_DIST += tests/tui/prompt-name.sh
# :all's row calls sent only what went on the wire, not what waits queued.
TUI_E2E_TESTS += tests/tui/all-queued.sh
EXTRA_DIST += tests/tui/all-queued.sh
