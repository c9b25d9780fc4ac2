/*
** litrule_table.h: the layout of a compiled rule set (second-tier API).
**
** `litrule build` emits these structures as static const data; the
** compiler builds the very same structures in memory for `litrule eval`
** and `litrule test`.  Integrators normally need only litrule.h; this
** header is for generated code and for tools that inspect a table.
**
** Conditions, derived values and amounts are small programs for a stack
** machine (lr_insn).  Values are 64-bit integers whose meaning the
** compiler knows statically: a decimal's fixed-point integer, a day
** number, 0/1, or an enumeration index.  Each value also carries whether
** it is known, missing, or not applicable (a table row "gives nothing").
**
** Layout changes must bump LR_TABLE_FORMAT: lr_eval refuses tables with
** another format, magic or struct sizes (LR_EVERSION).
*/
#ifndef LITRULE_TABLE_H
#define LITRULE_TABLE_H

#include "litrule.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LR_TABLE_MAGIC 0x4C525442u /* "LRTB" */
/* 2: programs carry an optional native function (lr_code.fn).
 * 3: rules carry a prefilter (lr_rule_def.guard_input, guard_mask).
 * 4: the rule set carries max_actions; native code returns its value's
 *    missing set (lr_native_fn's second argument, litrule_vm.h).
 * 5: actions carry their subject (lr_action_def.subject); rules carry the
 *    rules they override (lr_rule_def.first_override, noverrides into
 *    lr_ruleset.overrides).
 * 6: actions carry a computed due date (lr_action_def.due); opcodes
 *    LR_OP_MONTHS_BETWEEN and LR_OP_DAY_OF_MONTH.
 * 7: generated tables carry a native evaluator of all their rules
 *    (lr_ruleset.native); the evaluator's context reads inputs through
 *    state and value arrays (litrule_vm.h).
 * 8: no fixed capacities: the rule set carries nsets, the missing sets its
 *    evaluation keeps at once, from which lr_scratch_size sizes the
 *    caller's scratch; the evaluator's caches live there (litrule_vm.h). */
#define LR_TABLE_FORMAT 8

/* Limits of the language, not of the runtime's storage (which the rule
 * set's counts size, lr_scratch_size): an expression nests at most
 * LR_MAX_STACK - 2 operands deep (the compiler reports deeper ones; the
 * interpreter's value stack is on the C stack, and a deeper expression is
 * unreadable anyway), and an enumeration has at most LR_MAX_ENUM values
 * (sets of values are 64-bit masks: "is one of", rule prefilters). */
#define LR_MAX_STACK 64
#define LR_MAX_ENUM 64

typedef enum { LR_T_BOOL, LR_T_NUM, LR_T_DATE, LR_T_ENUM } lr_type;

/* ORDER LR_OP: keep op_names in compiler/emit_c.c and the helpers of
 * litrule_vm.h in step. */
typedef enum {
	LR_OP_CONST,     /* push consts[arg] (known) */
	LR_OP_INPUT,     /* push input arg; flags&1: probe (do not record as missing) */
	LR_OP_LET,       /* push derived value arg */
	LR_OP_TABLE,     /* push decision-table value arg */
	LR_OP_ADD, LR_OP_SUB, LR_OP_MUL, LR_OP_DIV, LR_OP_NEG,
	LR_OP_ADD_DAYS,  /* date + n * arg days (n: decimal, whole) */
	LR_OP_ADD_MONTHS,/* date + n * arg months, clamped to month end */
	LR_OP_LT, LR_OP_LE, LR_OP_GT, LR_OP_GE, LR_OP_EQ, LR_OP_NE,
	LR_OP_AND, LR_OP_OR, LR_OP_NOT,
	LR_OP_KNOWN,     /* pop v; push v is known */
	LR_OP_IN_SET,    /* pop enum v; push (mask >> v) & 1, mask = consts[arg] */
	LR_OP_IF,        /* pop c: true: go on (then); false: skip arg (to else);
	                    unknown: push c, skip arg - 1 (onto the JUMP past else) */
	LR_OP_JUMP,      /* skip the next arg instructions */
	LR_OP_COALESCE,  /* pop a, b: push a if known, else b */
	LR_OP_OVERDUE,   /* push: schedule arg is overdue */
	LR_OP_SKIP_FALSE,/* top known false: skip the next arg instructions (and's right side) */
	LR_OP_SKIP_TRUE, /* top known true: skip the next arg instructions (or's right side) */
	LR_OP_MONTHS_BETWEEN, /* pop a, b: push whole months from date a to date b (decimal) */
	LR_OP_DAY_OF_MONTH,   /* pop date: push its day of the month (decimal 1..31) */
	LR_OP__COUNT
} lr_opcode;

typedef struct {
	uint8_t op;
	uint8_t flags;
	uint16_t pad;
	int32_t arg;
} lr_insn;

/* Native code of a program (generated tables only): a C function that
 * `litrule build` translated from the program's bytecode.  Its arguments
 * and result belong to the evaluator (litrule_vm.h) and are opaque here:
 * it returns the program's value and, when that value is not known,
 * stores the value's missing set through its second argument. */
typedef struct lr__val lr__val;
typedef struct lr__ctx lr__ctx;
typedef struct lr__bits lr__bits;
typedef lr__val (*lr_native_fn)(lr__ctx *, lr__bits *);
/* The native evaluator of a generated table: evaluates every rule in
 * order, reporting each through the runtime (litrule_vm.h, native.c). */
typedef void (*lr_native_rules_fn)(lr__ctx *);

/* A program: code[start .. start+len), the bytecode, which every table
 * keeps (tools and auditors read it; it documents the program).  When fn
 * is not NULL the runtime calls it instead of interpreting the bytecode;
 * it computes exactly what the bytecode does (litrule_vm.h).  The
 * in-memory tables of `litrule eval` and `litrule test` leave fn NULL.
 * len 0 means "always true" for a condition, "nothing" elsewhere. */
typedef struct {
	uint32_t start, len;
	lr_native_fn fn;               /* NULL: interpret */
} lr_code;

typedef struct {
	const char *name;
	const char *description;
	lr_type type;
	const char *unit;              /* LR_T_NUM; "" otherwise */
	int has_range;
	int64_t lo, hi;                /* inclusive, in the value encoding */
	uint32_t nvalues;              /* LR_T_ENUM */
	const char *const *values;
} lr_input_def;

typedef struct {
	const char *name;
	lr_type type;
	const char *unit;
	lr_code code;
} lr_let_def;

typedef struct {
	int8_t lo_inf, hi_inf;         /* 1: unbounded on that side */
	int8_t lo_open, hi_open;       /* 1: the bound itself is excluded */
	int8_t has_value;              /* 0: "gives nothing" */
	int64_t lo, hi, value;
	uint32_t line;                 /* source line of the row */
} lr_row_def;

typedef struct {
	const char *name;
	const char *unit;              /* unit of the values */
	lr_code key;
	uint32_t first_row, nrows;
	int hit_first;                 /* 1: first, 0: unique (statically verified) */
} lr_table_def;

/* Calendar units of intervals and phase bounds. */
typedef enum { LR_U_DAYS, LR_U_WEEKS, LR_U_MONTHS, LR_U_YEARS, LR_U_DOSES, LR_U_NONE } lr_time_unit;

/** d + n units (days, weeks, months clamped to the month end, years),
 ** as schedules count them; LR_ERANGE off the calendar, LR_EINVAL for a
 ** unit that is not a calendar one (doses, none). */
int lr_date_add_span(lr_date *out, lr_date d, int64_t n, lr_time_unit u);

typedef struct {
	const char *label;             /* as written: "q4w" */
	int32_t every;                 /* interval count */
	lr_time_unit every_unit;       /* days, weeks, months or years */
	int32_t bound;                 /* phase length; 0 with LR_U_NONE: open-ended */
	lr_time_unit bound_unit;
} lr_phase_def;

typedef struct {
	const char *name;
	const char *drug;
	lr_code amount;                /* dose amount (decimal) */
	const char *unit;
	const char *route;
	uint32_t first_phase, nphases;
	lr_code anchor, last, asof;    /* dates */
	lr_code count;                 /* doses given so far; len 0 when unused */
	int32_t grace_days;
} lr_schedule_def;

typedef struct {
	const char *id;
	const char *title;
	const char *authors, *publisher, *journal, *year, *edition, *version, *doi, *url, *note;
	const char *text_path;         /* stored verbatim copy, or NULL */
} lr_source_def;

/* ORDER LR_VERB */
typedef enum {
	LR_VERB_RECOMMEND, LR_VERB_DOSE, LR_VERB_HOLD, LR_VERB_DEFER, LR_VERB_ORDER,
	LR_VERB_MONITOR, LR_VERB_REFER, LR_VERB_ALERT, LR_VERB__COUNT
} lr_verb;

typedef struct {
	lr_verb verb;
	const char *text;
	lr_code amount;                /* len 0: no dose */
	const char *unit;
	const char *route;
	int32_t schedule;              /* -1: none */
	const char *subject;           /* what it acts on (a schedule's or subject's name); NULL: none */
	lr_code due;                   /* the date it is due on ("... due DATE"); len 0: none */
} lr_action_def;

typedef struct {
	const char *id;
	const char *title;
	lr_code cond;
	/* Prefilter, set by the compiler only when it is exact: when input
	 * guard_input (-1: none, a boolean or enumeration) is known and its
	 * value v is below 64 with bit v of guard_mask clear, the condition
	 * is known false, reads nothing absent and reports nothing, so the
	 * runtime need not run it.  It is the condition's first conjunct
	 * ("agent is denosumab and ..."), whose known false value the
	 * and-chain's SKIP_FALSE jumps carry to the end unchanged. */
	int32_t guard_input;
	uint64_t guard_mask;
	uint32_t first_action, nactions;
	uint32_t first_cite, ncites;
	uint32_t first_read, nreads;   /* inputs the rule reads, directly or through lets */
	/* Rules this one overrides ("overrides R1, R2"): their indices are
	 * overrides[first_override .. +noverrides).  When this rule fires,
	 * their actions leave the decision (lr_eval, litrule.h). */
	uint32_t first_override, noverrides;
	const char *file;
	uint32_t line, end_line;
	const char *headings;          /* "Dosing > Renal adjustment" */
} lr_rule_def;

struct lr_ruleset {
	uint32_t magic;                /* LR_TABLE_MAGIC */
	uint32_t format;               /* LR_TABLE_FORMAT */
	uint32_t sizeof_insn, sizeof_rule;
	const char *name, *version, *hash, *commit;
	uint32_t ninputs, nlets, ntables, nschedules, nrules, nsources;
	const lr_input_def *inputs;
	const lr_let_def *lets;
	const lr_table_def *tables;
	const lr_row_def *rows;
	const lr_schedule_def *schedules;
	const lr_phase_def *phases;
	const lr_rule_def *rules;
	const lr_action_def *actions;
	const lr_citation *citations;
	const lr_source_def *sources;
	const uint32_t *reads;
	const lr_insn *code;
	const int64_t *consts;
	uint32_t ncode, nconsts;
	/* An upper bound of the actions one evaluation can produce, which the
	 * compiler computed (lr_ruleset_max_actions, docs/runtime.md). */
	uint32_t max_actions;
	/* Rule indices of every rule's overrides (lr_rule_def.first_override). */
	const uint32_t *overrides;
	uint32_t noverrides;
	/* The native evaluator (generated tables); NULL: the interpreter runs
	 * the rules.  It computes exactly what the interpreter does. */
	lr_native_rules_fn native;
	/* How many missing sets (ceil(ninputs / 64) words each) evaluation
	 * keeps at once at most: the interpreter's slots of nested programs
	 * and the runtime's temporaries (the compiler's bound, lower.c).
	 * lr_scratch_size counts them; 0 (a table built by hand) counts 64. */
	uint32_t nsets;
};

#define LR_RULESET_HEADER { LR_TABLE_MAGIC, LR_TABLE_FORMAT, (uint32_t)sizeof(lr_insn), (uint32_t)sizeof(lr_rule_def)

#ifdef __cplusplus
}
#endif
#endif
