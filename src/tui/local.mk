# src/tui/local.mk: (empty for now)
