# src/app/local.mk: (empty for now)
