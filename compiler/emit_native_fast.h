/*
** emit_native_fast.h: shared between the two halves of the typed entry's
** generator (internal to compiler/): emit_native_fast.c prints programs,
** derived values, tables and schedules on the fast path;
** emit_native_typed.c prints the rules, the evaluation's state and
** NAME_eval (en_typed, emit_native.h).
*/
#ifndef EMIT_NATIVE_FAST_H
#define EMIT_NATIVE_FAST_H

#include <stdint.h>
#include <stdio.h>

#include "litrule_table.h"

/* Rule sets of at most this many rules get one inlined NAME_eval. */
#define EF_INLINE_RULES 64
/* Larger rule sets get no fast path: it about doubles the generated C
 * (250 generated rules: 1.1 MB -> 2.0 MB, gcc -O2 30 s -> 46 s), and a set
 * this large needs its C small first (issue 12 item 3).  -D to test. */
#ifndef EF_FAST_MAX_RULES
#define EF_FAST_MAX_RULES 1000
#endif

typedef struct {
	FILE *f;
	const lr_ruleset *rs;
	const char *name;   /* the rule set's C name: NAME_input */
	const char *symbol; /* the table: lr_ruleset_NAME */
	int sets;           /* 1: missing sets tracked (one word: at most 64 inputs) */
	int inl;            /* 1: programs and rules inlined into NAME_eval (small rule sets) */
	/* Overrides applied by generated code: rule i's index among the rules
	 * that override others (oid) and among their targets (tid), -1: none. */
	int32_t *oid, *tid;
	uint32_t noid, ntid;
	uint64_t *seen;     /* programs printed: start << 32 | len */
	size_t nseen, cap;
	int oom;
} en_fx_gen;

/* Program code's fast function `int lr_g_fp_START_LEN(lr_g_fs *s, lr__val
 * *r, uint64_t *rm)`, once per distinct program (1: value in *r, set in
 * *rm; 0: fall back); none for an empty program. */
void en_fx_prog(en_fx_gen *g, lr_code code);
/* An expression: 1 with program code's value in dst and set in dstm, 0 to
 * fall back; an empty program gives empty. */
void en_fx_call(en_fx_gen *g, lr_code code, const char *dst, const char *dstm, const char *empty);
/* The value of input i read from the struct (an lr__val expression). */
void en_fx_input(en_fx_gen *g, uint32_t i);
/* The lazy computations of let, table and schedule i (out of line), and
 * their inline cache tests (before every program that calls them). */
void en_fx_let(en_fx_gen *g, uint32_t i);
void en_fx_table(en_fx_gen *g, uint32_t i);
void en_fx_sched(en_fx_gen *g, uint32_t i);
void en_fx_accessor(en_fx_gen *g, char kind, uint32_t i);
void en_fx_sched_accessor(en_fx_gen *g, uint32_t i);

#endif
