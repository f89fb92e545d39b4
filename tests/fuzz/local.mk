# tests/fuzz/local.mk: (empty for now)
