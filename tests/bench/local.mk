# tests/bench/local.mk: (empty for now)
