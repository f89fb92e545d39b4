# data/local.mk: what `make install` puts beside the programs: the man pages
# (mdoc sources, readable as they are, so no converter is needed) and the
# shell completions, each where its shell looks (directories from configure:
# --with-bash-completion-dir, --with-zsh-completion-dir,
# --with-fish-completion-dir).
dist_man1_MANS = data/man/rconsole.1 data/man/rconsole-mcsim.1
dist_man5_MANS = data/man/rconsole.conf.5
dist_bashcompletion_DATA = data/completions/rconsole
dist_zshcompletion_DATA = data/completions/_rconsole
dist_fishcompletion_DATA = data/completions/rconsole.fish

# No libtool archive is installed (Debian policy: .la files drag
# dependency_libs into every program built on the library).  libtool's
# uninstall finds the shared objects through the .la, so without it they
# are removed by name.
install-exec-hook:
	rm -f "$(DESTDIR)$(libdir)/librconsole.la"
uninstall-local:
	rm -f "$(DESTDIR)$(libdir)/librconsole.so" "$(DESTDIR)$(libdir)"/librconsole.so.*
