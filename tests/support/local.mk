# tests/support/local.mk: (empty for now)
