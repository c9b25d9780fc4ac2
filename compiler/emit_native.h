/*
** emit_native.h: the native evaluator of a generated rule set (emit_c's
** helper): the fast path of each program, the evaluator of all rules, and
** the typed input struct with its NAME_eval entry point.
**
** Each function returns malloc'd C text (NUL-terminated) for emit_c to
** place, or NULL when there is nothing to print (en_fast: no fast path
** for this program) or memory ran out (*oom set).
*/
#ifndef EMIT_NATIVE_H
#define EMIT_NATIVE_H

#include <stdio.h>

#include "litrule_table.h"

/* The fast path of program code[0 .. len) (table index start), whose
 * stack depth before each instruction is depth[i] (-1: unreachable;
 * depth[len]: at the end), all checked by emit_c's pass 1: a block that
 * computes the value on int64 locals when every value is known and jumps
 * to the label `slow` otherwise.  *uses_slow says whether it jumps there. */
char *en_fast(const lr_ruleset *rs, const lr_insn *code, uint32_t len, uint32_t start, const int *depth,
	      int *uses_slow, int *oom);

/* The evaluator of every rule, `static void lr_g_native(lr__ctx *c)`;
 * native[i] says whether rule i's condition has a function
 * lr_g_fn_START_LEN. */
char *en_rules(const lr_ruleset *rs, const unsigned char *native, int *oom);

/* The typed input struct and its declarations, for the header; and the
 * definitions of NAME_eval_scratch, NAME_eval and NAME_input_from_record,
 * for the .c.  name is the rule set's C name (the symbol without
 * "lr_ruleset_"); native: the .c has the native evaluator (lr_g_native,
 * lr_g_rule_N), which the typed fast path needs (else NAME_eval_scratch
 * runs the table's rules through the runtime). */
char *en_header(const lr_ruleset *rs, const char *name, int *oom);
char *en_entry(const lr_ruleset *rs, const char *name, const char *symbol, int native, int *oom);

/* The typed entry's fast evaluator and NAME_eval_scratch
 * (emit_native_fast.c), placed after the table (it reads the table's
 * symbol); without native, NAME_eval_scratch on the runtime's evaluator. */
char *en_typed(const lr_ruleset *rs, const char *name, const char *symbol, int native, int *oom);

/* Printing helpers shared by the en_ files: an int64 literal; s as a C
 * identifier part (upper case when upper); input i's field name in the
 * typed struct. */
void en_i64(FILE *f, int64_t v);
void en_ident(FILE *f, const char *s, int upper);
void en_field(FILE *f, const lr_ruleset *rs, uint32_t i, int upper);

#endif
