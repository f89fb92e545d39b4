# tests/install/local.mk: checks of what is installed — the man pages lint
# clean (mandoc, groff: missing tools fail, never skip), --help and the man
# page list the same options, the completions work in bash, zsh and fish
# (each fails, naming the package, when its shell is not installed), and
# `make install`/`make uninstall` into a DESTDIR put and remove every file.
INSTALL_TESTS = tests/install/man-lint.sh tests/install/man-options.sh \
	tests/install/completion-bash.sh tests/install/completion-zsh.sh \
	tests/install/completion-fish.sh tests/install/install.sh
TESTS += $(INSTALL_TESTS)
EXTRA_DIST += $(INSTALL_TESTS)

# The console on the profiles --tag picks (issue 10).
TUI_E2E_TESTS += tests/tui/tag.sh
EXTRA_DIST += tests/tui/tag.sh

# What the rconsole program links and loads at start-up (issue 11).
INSTALL_TESTS += tests/install/needed.sh
