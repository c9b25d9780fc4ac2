/*
** arena.c: bump allocation in large blocks.  See arena.h for why the
** compiler allocates this way.
*/
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN (64 * 1024)

struct arena_block {
	arena_block *next;
	size_t used, size;
	/* Aligned payload follows. */
	union { long double ld; void *p; long long ll; } data[];
};

void arena_init(arena *a) { a->head = NULL; }

void arena_free(arena *a)
{
	arena_block *b, *next;
	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

static void *oom(void)
{
	fputs("litrule: out of memory\n", stderr);
	abort();
}

void *arena_alloc(arena *a, size_t n)
{
	const size_t align = sizeof(((arena_block *)0)->data[0]);
	arena_block *b = a->head;
	void *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK_MIN ? n : ARENA_BLOCK_MIN;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return oom();
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void ptrvec_push(arena *a, ptrvec *v, void *item)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void **items = arena_alloc(a, cap * sizeof(*items));
		if (v->len)
			memcpy(items, v->items, v->len * sizeof(*items));
		v->items = items;
		v->cap = cap;
	}
	v->items[v->len++] = item;
}
