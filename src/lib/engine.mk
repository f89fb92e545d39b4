# src/lib/engine.mk: (empty for now)
