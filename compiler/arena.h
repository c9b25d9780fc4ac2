/*
** arena.h: a bump allocator for the syntax tree and everything the
** front end builds.  One arena per compilation; freeing the arena frees
** every node at once, so no node needs an owner or a destructor, and
** error recovery in the parser cannot leak.
*/
#ifndef LRC_ARENA_H
#define LRC_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct {
	arena_block *head;
} arena;

void arena_init(arena *a);
/** Frees every block; the arena may be reused after arena_init. NULL-safe. */
void arena_free(arena *a);
/** Zeroed memory, aligned for any object; aborts the program on OOM
 ** (the compiler is a command-line tool; the runtime never uses this). */
void *arena_alloc(arena *a, size_t n);
/** A NUL-terminated copy of s[0..n). */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
/** printf into the arena. */
char *arena_printf(arena *a, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* A growable array of pointers that lives in the arena. */
typedef struct {
	void **items;
	size_t len, cap;
} ptrvec;

void ptrvec_push(arena *a, ptrvec *v, void *item);

#endif
