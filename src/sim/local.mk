# src/sim/local.mk: (empty for now)
