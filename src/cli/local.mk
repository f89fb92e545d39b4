# src/cli/local.mk: (empty for now)
