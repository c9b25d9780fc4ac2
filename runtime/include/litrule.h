/*
** litrule.h: the public API of the litrule runtime.
**
** The runtime evaluates a compiled rule set (a static table produced by
** `litrule build`) against one patient record.  It depends on libc only,
** never allocates on the heap during evaluation, never prints and never
** exits.  Every function that can fail returns an int: LR_OK (0) or a
** negative LR_E* code; output parameters come first (libgit2 convention).
**
** Ownership: nothing returned by this API needs to be freed unless the
** function's comment says so.  Pointers into a rule set stay valid as
** long as the rule set does (for generated tables: forever).
*/
#ifndef LITRULE_H
#define LITRULE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LR_VERSION_MAJOR 0
#define LR_VERSION_MINOR 1
#define LR_VERSION_PATCH 0
#define LR_VERSION_NUMBER ((LR_VERSION_MAJOR << 16) | (LR_VERSION_MINOR << 8) | LR_VERSION_PATCH)

/** Returns the runtime's version as 0xMMmmpp. */
int lr_version(void);

/* ---- Return codes ---------------------------------------------------- */
enum {
	LR_OK = 0,
	LR_ERROR = -1,     /* generic failure */
	LR_EOVERFLOW = -2, /* a decimal result does not fit the fixed-point range */
	LR_EDIVZERO = -3,  /* division by zero */
	LR_EINVAL = -4,    /* malformed argument (bad text, NULL pointer) */
	LR_ERANGE = -5,    /* a value lies outside its declared or representable range */
	LR_EVERSION = -6,  /* table built for another runtime format */
	LR_EFULL = -7,     /* a fixed-capacity result buffer is full */
	LR_ESCRATCH = -8   /* the scratch buffer is smaller than lr_scratch_size(rs): use
	                      lr_eval_scratch with a larger one */
};

/** A short, static, English description of an LR_E* code. */
const char *lr_strerror(int code);

/** The name of an action verb ("recommend", "dose", ...), by its number. */
const char *lr_verb_name(int verb);

/* ---- Exact decimals ---------------------------------------------------
** A decimal is a signed fixed-point number with nine fractional digits:
** the value is v / 10^9.  The range is about +/- 9.2e9.  Addition,
** subtraction and comparison are exact.  Multiplication and division are
** exact whenever the exact result has at most nine fractional digits;
** otherwise they round half to even at the ninth digit.  Binary floating
** point is never used.
*/
typedef struct { int64_t v; } lr_dec;

#define LR_DEC_SCALE INT64_C(1000000000)
#define LR_DEC_FRAC_DIGITS 9

/** Parses "-12.5", "60", "0.000000001" (no exponent, no spaces, at most
 ** nine fractional digits unless the extra digits are zeros).
 ** Returns LR_EINVAL for bad text, LR_EOVERFLOW when out of range. */
int lr_dec_parse(lr_dec *out, const char *s, size_t len);
int lr_dec_from_int(lr_dec *out, int64_t i);
int lr_dec_add(lr_dec *out, lr_dec a, lr_dec b);
int lr_dec_sub(lr_dec *out, lr_dec a, lr_dec b);
int lr_dec_mul(lr_dec *out, lr_dec a, lr_dec b);
int lr_dec_div(lr_dec *out, lr_dec a, lr_dec b);
/** -1, 0 or 1. */
int lr_dec_cmp(lr_dec a, lr_dec b);
/** Writes the shortest exact text ("60", "3.5", "-0.25") and a NUL into
 ** buf; returns the length, or the length it would need when n is too
 ** small (like snprintf).  32 bytes always suffice. */
size_t lr_dec_format(char *buf, size_t n, lr_dec d);

/* ---- Civil dates -------------------------------------------------------
** A date is a day number in the proleptic Gregorian calendar: days since
** 1970-01-01 (negative before).  Valid years are 1 to 9999.
**
** Month arithmetic keeps the day of the month; when the target month is
** shorter, the result is clamped to its last day: 2024-01-31 + 1 month =
** 2024-02-29, 2024-02-29 + 12 months = 2025-02-28.  Adding n months is
** always computed from the original date in one step, never as n steps
** of one month.
*/
typedef int32_t lr_date;

int lr_date_from_ymd(lr_date *out, int year, int month, int day);
void lr_date_to_ymd(lr_date d, int *year, int *month, int *day);
/** Strict YYYY-MM-DD; LR_EINVAL for bad text or impossible dates. */
int lr_date_parse(lr_date *out, const char *s, size_t len);
/** LR_ERANGE when the result leaves years 1..9999. */
int lr_date_add_days(lr_date *out, lr_date d, int64_t days);
int lr_date_add_months(lr_date *out, lr_date d, int64_t months);
/** Whole calendar months from a to b, read as month addition clamps: for
 ** b on or after a, the largest n with a + n months <= b (so that from a to
 ** a + n months is always n); for b before a, minus the months from b to a.
 ** From 2025-01-31 to 2025-02-28 is 1 month, to 2025-02-27 is 0. */
int32_t lr_date_months_between(lr_date a, lr_date b);
/** The day of the month of d, 1..31. */
int lr_date_day_of_month(lr_date d);
/** Writes YYYY-MM-DD and a NUL (11 bytes); returns 10. */
size_t lr_date_format(char *buf, size_t n, lr_date d);
/** 1 if the year is a Gregorian leap year. */
int lr_date_is_leap(int year);
/** Days in the month (1..12) of the year. */
int lr_date_days_in_month(int year, int month);

/* ---- Rule sets, patient records, evaluation ------------------------------
** A rule set is a compiled table (see litrule_table.h), normally a
** `const lr_ruleset` that `litrule build` generated; its data is static
** and shared by every thread.  A record holds one patient's inputs; a
** result receives the decisions.  Both are plain structs the caller owns
** (on the stack, say): evaluation writes only into *out, allocates
** nothing, and is safe to run in many threads over one rule set.
*/
typedef struct lr_ruleset lr_ruleset;

/* Storage a record and a result carry in themselves.  A rule set may
 * have any number of inputs: a record of a rule set with more than
 * LR_RECORD_INLINE inputs takes the caller's arrays (lr_record_init_arrays),
 * and a result's missing list the caller's buffer (lr_result_set_missing)
 * when the rule set has more than LR_MISSING_INLINE inputs.  Actions have
 * no fixed capacity either: the caller supplies the buffer
 * (lr_result_init), sized by lr_ruleset_max_actions.  Errors beyond
 * LR_MAX_ERRORS are counted, not listed. */
#define LR_RECORD_INLINE 256
#define LR_MISSING_INLINE 256
#define LR_MAX_ERRORS 16

/** A citation of a guideline passage: which source, where, and the
 ** verbatim quote.  Strings are static data of the rule set. */
typedef struct {
	const char *source;  /* source id, e.g. "zometa_pi" */
	const char *title;   /* the source's title */
	const char *locator; /* section, table or page */
	const char *quote;   /* verbatim */
} lr_citation;

/** One patient's inputs: input i is absent (unknown) when state[i] is 0,
 ** known when 1, with v[i] a decimal's fixed-point integer, a day number,
 ** 0/1, or an enumeration index, by the input's type.
 **
 ** state and v point to capacity entries: the record's own arrays
 ** (lr_record_init, rule sets of at most LR_RECORD_INLINE inputs) or the
 ** caller's (lr_record_init_arrays, any size).  Because the record may
 ** point into itself, copy one with lr_record_copy, not by assignment. */
typedef struct {
	const lr_ruleset *rs;
	uint8_t *state;
	int64_t *v;
	uint32_t capacity;            /* entries of state and v */
	uint8_t own_state[LR_RECORD_INLINE];
	int64_t own_v[LR_RECORD_INLINE];
} lr_record;

/** A decision: one action of a rule that fired, with its basis.  An
 ** action of a rule that another firing rule overrides is kept apart
 ** (lr_result): overridden_by_id names the overriding rule; it is NULL for
 ** the actions of the decision itself. */
typedef struct {
	uint32_t rule;                /* index of the rule in the rule set */
	const char *rule_id;
	const char *rule_title;
	const char *verb;             /* recommend, dose, hold, defer, order, monitor, refer, alert */
	const char *text;             /* the action in the guideline's words */
	const lr_citation *citations; /* the rule's citations */
	uint32_t ncitations;
	const char *file;             /* rule file and line span of the rule */
	uint32_t line, end_line;
	const char *headings;         /* headings the rule sits under */
	const uint32_t *reads;        /* indices of the inputs the rule reads */
	uint32_t nreads;
	int has_dose;
	lr_dec amount;
	const char *unit;
	const char *route;
	int has_schedule;
	const char *schedule;         /* schedule name */
	const char *phase;            /* phase label as written, e.g. "q4w"; NULL when completed */
	lr_date next_due;             /* valid when phase != NULL */
	int overdue;
	const char *subject;          /* what it acts on: a schedule's or subject's name; NULL when none */
	int has_due;                  /* 1: the rule gives the action a due date ("then order ... due DATE") */
	lr_date due;                  /* valid when has_due */
	uint32_t overridden_by;       /* index of the overriding rule; 0 when overridden_by_id is NULL */
	const char *overridden_by_id; /* id of the overriding rule; NULL for a live action */
} lr_action;

/** An input a rule needed but the record did not have. */
typedef struct {
	uint32_t input;
	const char *name;
	const char *rule_id;          /* the first rule that needed it */
} lr_missing;

/** A problem with the record, or with evaluating a rule. */
typedef struct {
	int code;                     /* LR_ERANGE, LR_EOVERFLOW, LR_EDIVZERO, ... */
	int32_t input;                /* the field, or -1 */
	const char *name;             /* the field's name, or NULL */
	const char *rule_id;          /* the rule being evaluated, or NULL */
	const char *message;          /* static English text */
} lr_error;

/** The decisions for one patient.
 **
 ** Ownership: the result and the action buffer belong to the caller, who
 ** allocates them (on the stack, statically, or on the heap) and frees
 ** them; lr_eval never allocates and never keeps a pointer to either after
 ** it returns.  The buffer must outlive every use of the result's actions.
 ** Call lr_result_init once to attach the buffer; lr_eval then resets the
 ** counts on every call, so one result serves any number of evaluations.
 **
 ** Layout: the buffer holds the nactions actions of the decision first,
 ** actions[0 .. nactions), then the noverridden actions that rules which
 ** fired override, actions[nactions .. nactions + noverridden), each
 ** naming its overriding rule (lr_action.overridden_by, overridden_by_id).
 ** Both parts keep the rules' order.  A rule is overridden when any rule
 ** that fired names it in "overrides", whether or not that rule is itself
 ** overridden; when several do, overridden_by is the first of them.
 **
 ** Capacity: lr_ruleset_max_actions(rs) actions always fit (the compiler
 ** bounds how many can fire at once; a generated header also defines it
 ** as a constant, NAME_MAX_ACTIONS, for static buffers).  With a smaller
 ** buffer, the actions that fire beyond it are not stored: lr_eval then
 ** returns LR_EFULL, counts them in actions_dropped and lists an LR_EFULL
 ** error.  It never writes past the buffer.
 **
 ** missing holds each input at most once: it points to the result's own
 ** LR_MISSING_INLINE entries (lr_result_init) or to the caller's buffer
 ** (lr_result_set_missing), and lr_eval refuses (LR_EFULL, before any
 ** rule runs) a result whose missing_capacity is below the rule set's
 ** inputs, so it never overflows.  errors holds the first LR_MAX_ERRORS
 ** problems; errors_dropped counts the others, which are not listed.
 ** The result may point into itself: do not copy one by assignment. */
typedef struct {
	lr_action *actions;           /* the caller's buffer (lr_result_init) */
	uint32_t capacity;            /* its length, in actions */
	uint32_t nactions, nmissing, nerrors;
	uint32_t noverridden;         /* overridden actions, after the nactions live ones */
	uint32_t actions_dropped;     /* actions that fired but did not fit (LR_EFULL) */
	uint32_t errors_dropped;      /* problems beyond LR_MAX_ERRORS, not listed */
	lr_missing *missing;          /* own_missing or the caller's buffer */
	uint32_t missing_capacity;
	lr_error errors[LR_MAX_ERRORS];
	lr_missing own_missing[LR_MISSING_INLINE];
} lr_result;

/** Attaches the caller's action buffer buf of capacity entries to r and
 ** clears the counts.  buf may be NULL only with capacity 0 (then any
 ** action that fires makes lr_eval return LR_EFULL).  LR_EINVAL for a NULL
 ** r, or a NULL buf with a non-zero capacity. */
int lr_result_init(lr_result *r, lr_action *buf, uint32_t capacity);

/** Points r's missing list at the caller's buffer of capacity entries
 ** (lr_ruleset_ninputs(rs) always suffice), for rule sets with more than
 ** LR_MISSING_INLINE inputs; call it after lr_result_init.  LR_EINVAL for
 ** a NULL r or buf. */
int lr_result_set_missing(lr_result *r, lr_missing *buf, uint32_t capacity);

/** LR_OK if the table was built for this runtime, else LR_EVERSION. */
int lr_ruleset_check(const lr_ruleset *rs);
const char *lr_ruleset_name(const lr_ruleset *rs);
const char *lr_ruleset_version(const lr_ruleset *rs);
/** SHA-256 (hex) of the rule set's source files. */
const char *lr_ruleset_hash(const lr_ruleset *rs);
/** Git commit of the sources, or NULL when unknown. */
const char *lr_ruleset_commit(const lr_ruleset *rs);
uint32_t lr_ruleset_ninputs(const lr_ruleset *rs);
/** The most actions one evaluation can produce (0 for NULL): a buffer of
 ** this many never fills.  At least 1 is a safe size for malloc. */
uint32_t lr_ruleset_max_actions(const lr_ruleset *rs);
const char *lr_ruleset_input_name(const lr_ruleset *rs, uint32_t i);
/** The id of rule i ("R01a"), or NULL when there is none (lr_miss.rule). */
const char *lr_ruleset_rule_id(const lr_ruleset *rs, uint32_t i);

/** Clears a record (every input absent) for use with rs, in its own
 ** arrays.  LR_EFULL when rs has more than LR_RECORD_INLINE inputs (then
 ** use lr_record_init_arrays; the record holds nothing and every setter
 ** refuses), LR_EINVAL for NULL arguments, LR_EVERSION for a foreign table. */
int lr_record_init(lr_record *r, const lr_ruleset *rs);
/** Clears a record for use with rs in the caller's arrays state and v of
 ** capacity entries each, which must outlive the record's use.  LR_EFULL
 ** when capacity is below lr_ruleset_ninputs(rs); LR_EINVAL for NULL
 ** arguments. */
int lr_record_init_arrays(lr_record *r, const lr_ruleset *rs, uint8_t *state, int64_t *v, uint32_t capacity);
/** Copies src's values into dst, which lr_record_init or
 ** lr_record_init_arrays prepared for the same rule set (dst keeps its own
 ** storage).  LR_EINVAL for NULL arguments or another rule set, LR_EFULL
 ** when dst holds fewer inputs. */
int lr_record_copy(lr_record *dst, const lr_record *src);
/** Index of the input called name: LR_OK, or LR_EINVAL if there is none. */
int lr_record_find(uint32_t *out, const lr_ruleset *rs, const char *name, size_t len);
/** Setters check the input's type (LR_EINVAL on a mismatch); ranges are
 ** checked by lr_eval, which reports the field. */
int lr_record_set_bool(lr_record *r, uint32_t input, int value);
int lr_record_set_dec(lr_record *r, uint32_t input, lr_dec value);
int lr_record_set_date(lr_record *r, uint32_t input, lr_date value);
/** An enumeration value by name: LR_EINVAL if it is not one of the input's values. */
int lr_record_set_enum(lr_record *r, uint32_t input, const char *value, size_t len);
/** Parses text by the input's type: "true"/"false", a decimal, YYYY-MM-DD, a value name. */
int lr_record_set_text(lr_record *r, uint32_t input, const char *text, size_t len);
void lr_record_clear(lr_record *r, uint32_t input);

/** Evaluates every rule of rs for the patient in rec into out, whose
 ** buffer lr_result_init attached.
 ** Returns LR_OK; LR_ERANGE when an input lies outside its declared range
 ** (the record is rejected: no actions, out->errors names the fields);
 ** LR_EFULL when more actions fired than out->capacity (the first ones are
 ** stored, out->actions_dropped counts the rest; see lr_result);
 ** LR_EVERSION for a foreign table; LR_EINVAL for NULL arguments.
 ** Arithmetic problems inside a rule (overflow) are listed in out->errors
 ** and that rule does not fire; the others still do. */
int lr_eval(lr_result *out, const lr_ruleset *rs, const lr_record *rec);

/* ---- Scratch space ---------------------------------------------------------
** Evaluation keeps its working state (cached derived values, table values
** and schedules, the missing sets, the decisions of the native path) in a
** scratch buffer whose size the rule set's counts fix: lr_scratch_size(rs)
** bytes, which a generated header also states as NAME_SCRATCH_BYTES.
** lr_eval, lr_eval_interpret, lr_eval_decisions and the generated
** NAME_eval use a buffer of LR_EVAL_STACK_SCRATCH bytes on the C stack and
** return LR_ESCRATCH (before running any rule) for a rule set that needs
** more; the *_scratch entries take the caller's buffer instead, of any
** size, aligned for uint64_t and int64_t (malloc's, or a uint64_t array).
** One buffer serves any number of evaluations, one at a time: threads each
** need their own.  Nothing is allocated in either case. */
#define LR_EVAL_STACK_SCRATCH 16384

/** The bytes of scratch an evaluation of rs needs (0 for NULL or a foreign
 ** table). */
size_t lr_scratch_size(const lr_ruleset *rs);

/** lr_eval with the caller's scratch buffer of size bytes.  LR_ESCRATCH
 ** when size is below lr_scratch_size(rs) (nothing is evaluated, and
 ** out->errors says so), LR_EINVAL for a NULL or misaligned buffer;
 ** otherwise as lr_eval. */
int lr_eval_scratch(lr_result *out, const lr_ruleset *rs, const lr_record *rec, void *scratch, size_t size);

/** lr_eval_interpret with the caller's scratch buffer. */
int lr_eval_interpret_scratch(lr_result *out, const lr_ruleset *rs, const lr_record *rec, void *scratch,
			      size_t size);

/** lr_eval, always through the table interpreter, which interprets every
 ** program's bytecode, even for a generated table that has native code:
 ** the reference the native code is tested against (tests/codegen).
 ** Same contract as lr_eval. */
int lr_eval_interpret(lr_result *out, const lr_ruleset *rs, const lr_record *rec);

/* ---- Compact decisions (the native evaluator's output) -------------------
** A generated table (`litrule build`) carries a native evaluator: C code
** for its rules.  Its fast API (the typed input struct NAME_input and
** NAME_eval in the generated header, docs/runtime.md) writes decisions in
** this compact form: which rule and action fired and only the values
** computed for this patient.  Everything static about the action (title,
** verb, text, citations, location) stays in the table; lr_decision_action
** gives the full lr_action on request.  lr_eval on a generated table runs
** the same evaluator and expands its decisions. */

/** overridden_by of a decision that is part of the decision (not overridden). */
#define LR_LIVE UINT32_MAX

typedef struct {
	uint32_t rule;          /* index of the rule in the rule set */
	uint32_t action;        /* index of the action in the rule set's action table */
	uint32_t overridden_by; /* index of the overriding rule, or LR_LIVE */
	int32_t phase;          /* index of the schedule phase in the table's phases; -1: none */
	lr_dec amount;          /* the dose amount, when the action has a dose */
	lr_date next_due;       /* when phase >= 0 */
	int32_t overdue;        /* when phase >= 0 */
	lr_date due;            /* the computed due date, when the action has one ("due DATE") */
} lr_decision;

/** An input a rule needed but the patient did not have, by indices. */
typedef struct {
	uint32_t input;
	uint32_t rule;          /* the first rule that needed it */
} lr_miss;

/** The decisions for one patient in compact form.  Same layout rules as
 ** lr_result: live decisions first, decisions[0 .. ndecisions), then the
 ** noverridden overridden ones, each part in rule order.  The buffer is
 ** the caller's (lr_decisions_init) and must hold at least
 ** lr_ruleset_max_actions(rs) entries (NAME_MAX_ACTIONS): the native
 ** evaluator refuses a smaller one (LR_EINVAL) instead of dropping
 ** decisions.  missing and errors as in lr_result (the missing list is
 ** the struct's own LR_MISSING_INLINE entries or the caller's,
 ** lr_decisions_set_missing; the evaluators refuse with LR_EFULL one that
 ** is shorter than the rule set's inputs). */
typedef struct {
	lr_decision *decisions;
	uint32_t capacity;
	uint32_t ndecisions, noverridden, nmissing, nerrors;
	uint32_t errors_dropped;
	lr_miss *missing;             /* own_missing or the caller's buffer */
	uint32_t missing_capacity;
	lr_error errors[LR_MAX_ERRORS];
	lr_miss own_missing[LR_MISSING_INLINE];
} lr_decisions;

/** Attaches the caller's buffer; LR_EINVAL for NULL out or NULL buf with capacity. */
int lr_decisions_init(lr_decisions *out, lr_decision *buf, uint32_t capacity);
/** Points out's missing list at the caller's buffer (after lr_decisions_init). */
int lr_decisions_set_missing(lr_decisions *out, lr_miss *buf, uint32_t capacity);

/** Evaluates rs on a record into compact decisions: through its native
 ** evaluator when it has one (a generated table), else through the same
 ** steps driven by the table (an in-memory table).  LR_EINVAL when the
 ** buffer is below lr_ruleset_max_actions; otherwise as lr_eval. */
int lr_eval_decisions(lr_decisions *out, const lr_ruleset *rs, const lr_record *rec);
/** lr_eval_decisions with the caller's scratch buffer (see lr_eval_scratch). */
int lr_eval_decisions_scratch(lr_decisions *out, const lr_ruleset *rs, const lr_record *rec, void *scratch,
			      size_t size);

/** Fills *out, the full action, from decision d of rule set rs (its
 ** static fields from the table).  LR_EINVAL for bad arguments. */
int lr_decision_action(lr_action *out, const lr_ruleset *rs, const lr_decision *d);

/** Expands every decision of d into out's action buffer (live ones, then
 ** overridden ones), and the missing inputs and errors, as lr_eval would
 ** have filled out.  LR_EFULL when out's buffer is too small (nothing
 ** useful is then in out), LR_EINVAL for bad arguments. */
int lr_decisions_expand(lr_result *out, const lr_ruleset *rs, const lr_decisions *d);

#ifdef __cplusplus
}
#endif
#endif /* LITRULE_H */
