/* wrap-alloc.h: the allocator symbols of a binary linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc: the C library's own
 * (__real_*) and the replacements a test support file defines (__wrap_*:
 * starve.c, malloc-cap.c). */
#ifndef RCONSOLE_TEST_WRAP_ALLOC_H
#define RCONSOLE_TEST_WRAP_ALLOC_H

#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

#endif
