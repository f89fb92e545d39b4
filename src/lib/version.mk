# src/lib/version.mk: rc_version() and rc_libconfig_version() (version.h).
librconsole_la_SOURCES += src/lib/version.c src/lib/profile-version.c
rconsoleinclude_HEADERS += include/rconsole/version.h
