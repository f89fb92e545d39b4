# src/lib/mc.mk: (empty for now)
