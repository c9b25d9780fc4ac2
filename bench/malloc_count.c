/*
** malloc_count.c: an LD_PRELOAD library counting heap allocations (malloc,
** calloc, realloc) of a whole process, for `make bench`'s batch section
** ("at most 1 allocation per patient").  At exit it writes
** "allocations=N" to the file named by MALLOC_COUNT_OUT (or stderr).
**   cc -shared -fPIC -O2 -o malloc_count.so bench/malloc_count.c
**   MALLOC_COUNT_OUT=f LD_PRELOAD=./malloc_count.so COMMAND
** glibc's __libc_* entry points do the work, so no dlsym bootstrapping.
*/
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static unsigned long count;

void *malloc(size_t n)
{
	__atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
	return __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
	__atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
	return __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
	__atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
	return __libc_realloc(p, n);
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("MALLOC_COUNT_OUT");
	FILE *f = path ? fopen(path, "w") : NULL;
	fprintf(f ? f : stderr, "allocations=%lu\n", __atomic_load_n(&count, __ATOMIC_RELAXED));
	if (f)
		fclose(f);
}
