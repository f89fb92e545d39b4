# src/lib/profile.mk: (empty for now)
