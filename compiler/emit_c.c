/*
** emit_c.c: prints a lowered rule set (litrule_table.h) as C source.
**
** The output is DIR/BASE.c, static const arrays plus one exported
** `const lr_ruleset SYMBOL`, and DIR/BASE.h, which declares it.  The .c
** also holds native code: each program's bytecode translated into a C
** function of litrule_vm.h helper calls (see "native code" below).
** Three properties matter more than looks:
**
**  - Exactness.  The generated table must evaluate exactly like the
**    in-memory one `litrule eval` uses, so every field is printed from
**    the lowered struct, nothing is recomputed here, and native code
**    performs each instruction through the helper the interpreter uses.
**  - Portability.  The code must compile cleanly under strict C11
**    (-std=c11 -pedantic -Wall -Wextra -Werror, gcc and clang): strings
**    are printed with octal escapes for anything outside printable ASCII
**    (three digits, so a following digit cannot extend the escape), '?'
**    is escaped (-std=c11 enables trigraphs), strings too long for a
**    literal under -pedantic become char arrays, INT64_MIN is written as
**    an expression, and empty arrays become NULL (C has no zero-length
**    arrays).
**  - Reproducibility and safety.  Output is byte-identical on every run
**    (no timestamps, no addresses, fixed order), and both files are
**    written to temporaries and renamed into place only when complete,
**    so a failed build never leaves a half-written table behind that a
**    later C build could pick up.  Builds into one directory with one
**    name take a lock (DIR/.NAME.lock, removed afterwards) around the
**    write and both renames, so racing builds leave a matching pair,
**    and clear the temporaries a killed build left.
*/
#include "emit_c.h"
#include "emit_native.h"
#include "litrule_vm.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- an append-only text buffer ---------------------------------------------
** The whole file is built in memory first: the long-string pre-pass needs
** to place definitions before their use, and writing one finished buffer
** keeps the temporary-file handling in one place. */

typedef struct {
	char *p;
	size_t len, cap;
	int oom;
} sbuf;

static void sb_reserve(sbuf *b, size_t extra)
{
	size_t cap;
	char *q;
	if (b->oom || b->len + extra + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + extra + 1)
		cap *= 2;
	q = realloc(b->p, cap);
	if (!q) {
		b->oom = 1;
		return;
	}
	b->p = q;
	b->cap = cap;
}

static void sb_put(sbuf *b, const char *s, size_t n)
{
	sb_reserve(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[256];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		sb_put(b, small, (size_t)n);
		return;
	}
	sb_reserve(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Joins the lines of b->p[from ..) that continue an entry: "\n\t\t" and
 * "\n\t}" become one space, so every entry of a table is one line.  For
 * large rule sets (emits_native): the same data in 30% fewer bytes for the
 * C compiler to read.  String literals hold no raw newline (put_str
 * escapes them), so only the layout changes. */
static void sb_join_entries(sbuf *b, size_t from)
{
	size_t r, w = from;
	for (r = from; r < b->len; r++) {
		if (b->p[r] == '\n' && r + 2 < b->len && b->p[r + 1] == '\t' &&
		    (b->p[r + 2] == '\t' || b->p[r + 2] == '}')) {
			b->p[w++] = ' ';
			r += b->p[r + 2] == '\t' ? 2 : 1;
			continue;
		}
		b->p[w++] = b->p[r];
	}
	b->len = w;
	if (b->p)
		b->p[w] = '\0';
}

/* ---- C spellings --------------------------------------------------------------- */

/* gcc -pedantic warns about string literals longer than the 4095 bytes
 * C11 guarantees (after concatenation), so longer strings are printed as
 * char arrays instead.  A margin below the limit costs nothing. */
#define LONG_STRING 4000

/* One byte inside a string literal or character constant. */
static void put_char_escaped(sbuf *b, unsigned char ch, char quote)
{
	char tmp[8];
	if (ch == '\\' || ch == (unsigned char)quote) {
		tmp[0] = '\\';
		tmp[1] = (char)ch;
		sb_put(b, tmp, 2);
	} else if (ch == '?') {
		/* "??=" and friends are trigraphs under -std=c11. */
		sb_put(b, "\\?", 2);
	} else if (ch == '\n') {
		sb_put(b, "\\n", 2);
	} else if (ch == '\t') {
		sb_put(b, "\\t", 2);
	} else if (ch >= 0x20 && ch < 0x7f) {
		tmp[0] = (char)ch;
		sb_put(b, tmp, 1);
	} else {
		/* Always three octal digits: "\0031" stays '\003' '1'. */
		snprintf(tmp, sizeof tmp, "\\%03o", (unsigned)ch);
		sb_put(b, tmp, 4);
	}
}

/* Registry of strings too long for a literal: each gets a named array,
 * printed before the tables that point at it. */
typedef struct {
	const char **s;
	size_t n, cap;
	int oom;
} longstr;

static long long_index(const longstr *ls, const char *s)
{
	size_t i;
	for (i = 0; i < ls->n; i++)
		if (ls->s[i] == s || strcmp(ls->s[i], s) == 0)
			return (long)i;
	return -1;
}

static void long_note(longstr *ls, const char *s)
{
	const char **q;
	if (!s || strlen(s) <= LONG_STRING || long_index(ls, s) >= 0)
		return;
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 8;
		q = realloc(ls->s, cap * sizeof *q);
		if (!q) {
			ls->oom = 1;
			return;
		}
		ls->s = q;
		ls->cap = cap;
	}
	ls->s[ls->n++] = s;
}

/* A const char * initializer: NULL, a literal, or a long-string array. */
static void put_str(sbuf *b, const longstr *ls, const char *s)
{
	size_t i, n;
	if (!s) {
		sb_puts(b, "NULL");
		return;
	}
	n = strlen(s);
	if (n > LONG_STRING) {
		/* Found unless the pre-pass in gen_c missed a field; then a long
		 * literal (a -pedantic warning) still beats a dangling name. */
		long k = long_index(ls, s);
		if (k >= 0) {
			sb_printf(b, "lr_g_long_%ld", k);
			return;
		}
	}
	sb_put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		put_char_escaped(b, (unsigned char)s[i], '"');
		/* Break long literals into lines of source, for diffs and editors. */
		if (i + 1 < n && (i + 1) % 100 == 0)
			sb_puts(b, "\"\n\t\t\"");
	}
	sb_put(b, "\"", 1);
}

static void put_long_strings(sbuf *b, const longstr *ls)
{
	size_t i, k, n;
	for (i = 0; i < ls->n; i++) {
		n = strlen(ls->s[i]);
		sb_printf(b, "/* %zu bytes: longer than a portable string literal */\n", n);
		sb_printf(b, "static const char lr_g_long_%zu[] = {", i);
		for (k = 0; k <= n; k++) {
			sb_puts(b, k == 0 ? "\n\t'" : k % 16 == 0 ? ",\n\t'" : ", '");
			put_char_escaped(b, (unsigned char)ls->s[i][k], '\'');
			sb_put(b, "'", 1);
		}
		sb_puts(b, "\n};\n\n");
	}
}

/* Text inside a block comment: printable ASCII, with anything that could
 * end the comment, open a nested one (-Wcomment), splice a line or form a
 * trigraph written as an octal escape. */
static void put_comment_text(sbuf *b, const char *s)
{
	size_t i, n = s ? strlen(s) : 0;
	char tmp[8];
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i], next = (unsigned char)s[i + 1];
		int danger = ch < 0x20 || ch >= 0x7f || ch == '\\' || (ch == '*' && next == '/') ||
			     (ch == '/' && next == '*') || (ch == '?' && next == '?');
		if (danger) {
			snprintf(tmp, sizeof tmp, "\\%03o", (unsigned)ch);
			sb_put(b, tmp, 4);
		} else {
			tmp[0] = (char)ch;
			sb_put(b, tmp, 1);
		}
	}
}

/* int64_t: INT64_C(n), except INT64_MIN, whose magnitude is no constant. */
static void put_i64(sbuf *b, int64_t v)
{
	if (v == INT64_MIN)
		sb_puts(b, "(-INT64_C(9223372036854775807) - 1)");
	else
		sb_printf(b, "INT64_C(%" PRId64 ")", v);
}

static void put_u32(sbuf *b, uint32_t v)
{
	/* Above INT32_MAX a plain decimal constant would be a long; say what it is. */
	sb_printf(b, v > INT32_MAX ? "%" PRIu32 "u" : "%" PRIu32, v);
}

/* A static uint32_t array, 16 to a line, under a comment; nothing when
 * empty (the table then points at no array). */
static void put_u32_array(sbuf *b, const char *comment, const char *name, const uint32_t *v, uint32_t n)
{
	uint32_t i;
	if (!n)
		return;
	sb_printf(b, "\n/* %s. */\nstatic const uint32_t %s[%" PRIu32 "] = {", comment, name, n);
	for (i = 0; i < n; i++) {
		sb_puts(b, i % 16 == 0 ? "\n\t" : " ");
		put_u32(b, v[i]);
		sb_puts(b, ",");
	}
	sb_puts(b, "\n};\n");
}

/* Names of the table's enumerations, by value; designated so that the
 * table cannot fall out of step with the enum order. */
static const char *const op_names[LR_OP__COUNT] = {
	[LR_OP_CONST] = "LR_OP_CONST", [LR_OP_INPUT] = "LR_OP_INPUT", [LR_OP_LET] = "LR_OP_LET",
	[LR_OP_TABLE] = "LR_OP_TABLE", [LR_OP_ADD] = "LR_OP_ADD", [LR_OP_SUB] = "LR_OP_SUB",
	[LR_OP_MUL] = "LR_OP_MUL", [LR_OP_DIV] = "LR_OP_DIV", [LR_OP_NEG] = "LR_OP_NEG",
	[LR_OP_ADD_DAYS] = "LR_OP_ADD_DAYS", [LR_OP_ADD_MONTHS] = "LR_OP_ADD_MONTHS",
	[LR_OP_LT] = "LR_OP_LT", [LR_OP_LE] = "LR_OP_LE", [LR_OP_GT] = "LR_OP_GT", [LR_OP_GE] = "LR_OP_GE",
	[LR_OP_EQ] = "LR_OP_EQ", [LR_OP_NE] = "LR_OP_NE", [LR_OP_AND] = "LR_OP_AND", [LR_OP_OR] = "LR_OP_OR",
	[LR_OP_NOT] = "LR_OP_NOT", [LR_OP_KNOWN] = "LR_OP_KNOWN", [LR_OP_IN_SET] = "LR_OP_IN_SET",
	[LR_OP_IF] = "LR_OP_IF", [LR_OP_JUMP] = "LR_OP_JUMP", [LR_OP_COALESCE] = "LR_OP_COALESCE", [LR_OP_OVERDUE] = "LR_OP_OVERDUE",
	[LR_OP_SKIP_FALSE] = "LR_OP_SKIP_FALSE", [LR_OP_SKIP_TRUE] = "LR_OP_SKIP_TRUE",
	[LR_OP_MONTHS_BETWEEN] = "LR_OP_MONTHS_BETWEEN", [LR_OP_DAY_OF_MONTH] = "LR_OP_DAY_OF_MONTH",
};

static const char *const type_names[] = {
	[LR_T_BOOL] = "LR_T_BOOL", [LR_T_NUM] = "LR_T_NUM", [LR_T_DATE] = "LR_T_DATE", [LR_T_ENUM] = "LR_T_ENUM",
};

static const char *const unit_names[] = {
	[LR_U_DAYS] = "LR_U_DAYS", [LR_U_WEEKS] = "LR_U_WEEKS", [LR_U_MONTHS] = "LR_U_MONTHS",
	[LR_U_YEARS] = "LR_U_YEARS", [LR_U_DOSES] = "LR_U_DOSES", [LR_U_NONE] = "LR_U_NONE",
};

static const char *const verb_names[LR_VERB__COUNT] = {
	[LR_VERB_RECOMMEND] = "LR_VERB_RECOMMEND", [LR_VERB_DOSE] = "LR_VERB_DOSE",
	[LR_VERB_HOLD] = "LR_VERB_HOLD", [LR_VERB_DEFER] = "LR_VERB_DEFER", [LR_VERB_ORDER] = "LR_VERB_ORDER",
	[LR_VERB_MONITOR] = "LR_VERB_MONITOR", [LR_VERB_REFER] = "LR_VERB_REFER", [LR_VERB_ALERT] = "LR_VERB_ALERT",
};

/* An enumerator's name, or its number cast back when it has none: the
 * table must round-trip even a value this generator does not know. */
static void put_enum(sbuf *b, const char *const *names, size_t nnames, const char *type, int v)
{
	if (v >= 0 && (size_t)v < nnames && names[v])
		sb_puts(b, names[v]);
	else
		sb_printf(b, "(%s)%d", type, v);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the .c file -------------------------------------------------------------- */

/* Length of an array the ruleset addresses by (first, n) pairs: the
 * lr_ruleset struct does not record it, so it is the furthest end. */
#define EXTENT(arr, cnt, first, n, out)                                      \
	do {                                                                 \
		uint32_t i_;                                                 \
		(out) = 0;                                                   \
		for (i_ = 0; i_ < (cnt); i_++)                               \
			if ((arr)[i_].first + (arr)[i_].n > (out))           \
				(out) = (arr)[i_].first + (arr)[i_].n;       \
	} while (0)

typedef struct {
	uint32_t nrows, nphases, nactions, ncites, nreads, noverrides;
} extents;

/* The banner names the rule set and every file its hash covers: the rule
 * files and the stored source texts, by their paths relative to the rule
 * set's root (the order the hash takes them in; see docs/runtime.md, "The
 * rule-set hash"), so a reader can recompute the hash from this list. */
static void banner(sbuf *b, const lr_ruleset *rs, const char *what, const char *const *files, size_t nfiles)
{
	size_t i;
	sb_puts(b, "/*\n** ");
	put_comment_text(b, what);
	sb_puts(b, ": generated by litrule from rule files.  DO NOT EDIT.\n"
		   "**\n"
		   "** This is a compiled clinical rule set: static tables that the litrule\n"
		   "** runtime (litrule.h) evaluates.  It is generated so that the rules are\n"
		   "** reviewed and changed in one place, the literate rule files below,\n"
		   "** whose checks (citations, units, table gaps, examples) this file can\n"
		   "** never pass on its own.  Edit the sources and run `litrule build`.\n"
		   "**\n"
		   "** Rule files and source texts (relative to the rule set's root), in the\n"
		   "** order the hash below covers them:\n");
	for (i = 0; i < nfiles; i++) {
		sb_puts(b, "**   ");
		put_comment_text(b, files[i]);
		sb_puts(b, "\n");
	}
	if (nfiles == 0)
		sb_puts(b, "**   (none recorded)\n");
	sb_puts(b, "**\n** Rule set: ");
	put_comment_text(b, rs->name);
	sb_puts(b, "\n** Version:  ");
	put_comment_text(b, rs->version);
	sb_puts(b, "\n** Hash:     ");
	put_comment_text(b, rs->hash);
	sb_puts(b, " (SHA-256 of the files above, docs/runtime.md)\n** Commit:   ");
	put_comment_text(b, rs->commit ? rs->commit : "(not in a git repository)");
	sb_printf(b, "\n** Table format %d.\n*/\n", LR_TABLE_FORMAT);
}

/* ---- native code ----------------------------------------------------------------
** Each program's bytecode is also printed as a static C function, which the
** runtime calls instead of interpreting (lr_code.fn).  The translation is
** mechanical, so that it cannot change what a program computes:
**
**  - every instruction becomes exactly the litrule_vm.h helper that the
**    interpreter (eval.c's interpret) calls for its opcode;
**  - jumps only go forward, so one pass in order finds the stack depth at
**    every instruction, and the stack becomes locals s0..sN with fixed
**    indices; a jump becomes a goto to a label on its target.
**
** A program this cannot translate as the interpreter would run it (a depth
** that differs between paths, a backward or out-of-range jump, an unknown
** opcode or operand, a depth at the interpreter's limit, a value pushed and
** never read) gets no function: fn stays NULL and the runtime interprets
** it, with whatever result that gives.  lower.c never produces such code;
** the fallback only keeps a hand-made table exact. */

typedef struct {
	uint32_t start, len;
	int native;                    /* 1: lr_g_fn_START_LEN was printed */
} prog;

typedef struct {
	prog *p;
	size_t n, cap;
	int oom;
} progs;

static void progs_add(progs *ps, lr_code c)
{
	prog *q;
	if (c.len == 0)
		return; /* never run: the runtime decides empty programs itself */
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 64;
		q = realloc(ps->p, cap * sizeof *q);
		if (!q) {
			ps->oom = 1;
			return;
		}
		ps->p = q;
		ps->cap = cap;
	}
	ps->p[ps->n].start = c.start;
	ps->p[ps->n].len = c.len;
	ps->p[ps->n].native = 0;
	ps->n++;
}

static int prog_cmp(const void *a, const void *b)
{
	const prog *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return 0;
}

static const prog *progs_find(const progs *ps, lr_code c)
{
	prog key;
	key.start = c.start;
	key.len = c.len;
	key.native = 0;
	return ps->n ? bsearch(&key, ps->p, ps->n, sizeof key, prog_cmp) : NULL;
}

/* {start, len, fn}: the function when one was printed, else NULL. */
static void put_code(sbuf *b, const progs *ps, lr_code c)
{
	const prog *p = progs_find(ps, c);
	if (c.len && p && p->native)
		sb_printf(b, "{%" PRIu32 ", %" PRIu32 ", lr_g_fn_%" PRIu32 "_%" PRIu32 "}", c.start, c.len, c.start,
			  c.len);
	else
		sb_printf(b, "{%" PRIu32 ", %" PRIu32 ", NULL}", c.start, c.len);
}

/* Stack slots taken and left by an opcode; -1 pops for an opcode this
 * generator does not know. */
static void op_shape(int op, int *pops, int *pushes)
{
	*pops = 0;
	*pushes = 0;
	switch (op) {
	case LR_OP_INPUT: case LR_OP_LET: case LR_OP_TABLE: case LR_OP_OVERDUE:
	case LR_OP_CONST:
		*pushes = 1;
		break;
	case LR_OP_ADD: case LR_OP_SUB: case LR_OP_MUL: case LR_OP_DIV:
	case LR_OP_ADD_DAYS: case LR_OP_ADD_MONTHS:
	case LR_OP_LT: case LR_OP_LE: case LR_OP_GT: case LR_OP_GE: case LR_OP_EQ: case LR_OP_NE:
	case LR_OP_AND: case LR_OP_OR: case LR_OP_COALESCE: case LR_OP_MONTHS_BETWEEN:
		*pops = 2;
		*pushes = 1;
		break;
	case LR_OP_NEG: case LR_OP_NOT: case LR_OP_KNOWN: case LR_OP_IN_SET: case LR_OP_DAY_OF_MONTH:
		*pops = 1;
		*pushes = 1;
		break;
	case LR_OP_IF: case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
		*pops = 1; /* read; the branches say what stays */
		*pushes = 1;
		break;
	case LR_OP_JUMP:
		break;
	default:
		*pops = -1;
		break;
	}
}

/* Slot helpers of the binary opcodes (litrule_vm.h; operands s[d-2], s[d-1]). */
static const char *binary_helper(int op)
{
	switch (op) {
	case LR_OP_ADD: return "lr__op_add";
	case LR_OP_SUB: return "lr__op_sub";
	case LR_OP_MUL: return "lr__op_mul";
	case LR_OP_DIV: return "lr__op_div";
	case LR_OP_ADD_DAYS: return "lr__op_add_days";
	case LR_OP_ADD_MONTHS: return "lr__op_add_months";
	case LR_OP_LT: return "lr__op_lt";
	case LR_OP_LE: return "lr__op_le";
	case LR_OP_GT: return "lr__op_gt";
	case LR_OP_GE: return "lr__op_ge";
	case LR_OP_EQ: return "lr__op_eq";
	case LR_OP_NE: return "lr__op_ne";
	case LR_OP_AND: return "lr__op_and";
	case LR_OP_OR: return "lr__op_or";
	case LR_OP_MONTHS_BETWEEN: return "lr__op_months_between";
	default: return "lr__op_coalesce";
	}
}

/* Records that control reaches instruction `to` with depth d; 0 when the
 * program leaves its end or reaches one place with two depths. */
static int flow_to(int *depth, uint32_t len, uint64_t to, int d)
{
	if (to > len)
		return 0;
	if (depth[to] < 0)
		depth[to] = d;
	return depth[to] == d;
}

static void put_i32(sbuf *b, int32_t v)
{
	if (v == INT32_MIN)
		sb_puts(b, "(-2147483647 - 1)");
	else
		sb_printf(b, "%" PRId32, v);
}

/* Whether an operand indexes something the table has. */
static int operand_ok(const lr_ruleset *rs, const lr_insn *in)
{
	uint32_t n;
	switch (in->op) {
	case LR_OP_CONST: case LR_OP_IN_SET: n = rs->nconsts; break;
	case LR_OP_INPUT: n = rs->ninputs; break;
	case LR_OP_LET: n = rs->nlets; break;
	case LR_OP_TABLE: n = rs->ntables; break;
	case LR_OP_OVERDUE: n = rs->nschedules; break;
	default: return 1;
	}
	return in->arg >= 0 && (uint32_t)in->arg < n;
}

/* Prints program p as `static lr__val lr_g_fn_START_LEN(lr__ctx *c,
 * lr__bits *miss)`, its stack slots lr__slot locals s0, s1, ...;
 * returns 0, printing nothing, when it cannot be translated exactly. */
static int gen_native(sbuf *out, const lr_ruleset *rs, const prog *p)
{
	const lr_insn *code;
	int *depth = NULL;
	unsigned char *label = NULL, *used = NULL;
	int maxd = 0, ok = 0, d, k;
	uint32_t i;
	uint64_t base = p->start;
	sbuf b = {NULL, 0, 0, 0};

	if (!rs->code || p->start > rs->ncode || p->len > rs->ncode - p->start)
		return 0;
	code = rs->code + p->start;
	depth = malloc(((size_t)p->len + 1) * sizeof *depth);
	label = calloc((size_t)p->len + 1, 1);
	used = calloc(LR_MAX_STACK + 1, 1);
	if (!depth || !label || !used) {
		out->oom = 1;
		goto done;
	}
	for (i = 0; i <= p->len; i++)
		depth[i] = -1;
	depth[0] = 0;

	/* Pass 1: depths, labels, slots read; any doubt and there is no function. */
	for (i = 0; i < p->len; i++) {
		const lr_insn *in = &code[i];
		int pops, pushes;
		uint64_t here = i, next = here + 1;
		d = depth[i];
		if (d < 0)
			continue; /* unreachable: never runs, not printed */
		if (d >= LR_MAX_STACK - 1)
			goto done; /* the interpreter gives up here: let it */
		op_shape(in->op, &pops, &pushes);
		if (pops < 0 || d < pops || !operand_ok(rs, in))
			goto done;
		for (k = d - pops; k < d; k++)
			used[k] = 1;
		if (d - pops + pushes > maxd)
			maxd = d - pops + pushes;
		switch (in->op) {
		case LR_OP_IF:
			/* Unknown: the condition stays and control lands on the JUMP
			 * past the else; false: the else, without the condition. */
			if (in->arg < 1 || !flow_to(depth, p->len, here + (uint64_t)in->arg, d) ||
			    !flow_to(depth, p->len, here + (uint64_t)in->arg + 1, d - 1) || !flow_to(depth, p->len, next, d - 1))
				goto done;
			label[here + (uint64_t)in->arg] = label[here + (uint64_t)in->arg + 1] = 1;
			break;
		case LR_OP_JUMP: case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
			if (in->arg < 0 || !flow_to(depth, p->len, next + (uint64_t)in->arg, d))
				goto done;
			label[next + (uint64_t)in->arg] = 1;
			if (in->op != LR_OP_JUMP && !flow_to(depth, p->len, next, d))
				goto done;
			break;
		default:
			if (!flow_to(depth, p->len, next, d - pops + pushes))
				goto done;
			break;
		}
	}
	d = depth[p->len];
	if (d < 0)
		goto done;
	if (d > 0)
		used[d - 1] = 1; /* the result */
	for (k = 0; k < maxd; k++)
		if (!used[k])
			goto done; /* a value nobody reads: gcc would warn */

	/* Pass 2: the function.  Pass 1 proved each slot is written before it
	 * is read, and a slot's missing set is written whenever its value is
	 * not known, the only time it is read; compilers cannot see the
	 * latter (gcc -O2 warns "may be used uninitialized"), so the first
	 * word of each set, which every set operation touches, starts at 0. */
	sb_printf(&b, "/* code[%" PRIu32 " .. %" PRIu32 "] */\nstatic lr__val lr_g_fn_%" PRIu32 "_%" PRIu32
		  "(lr__ctx *c, lr__bits *miss)\n{\n",
		  p->start, p->start + p->len, p->start, p->len);
	for (k = 0; k < maxd; k++)
		sb_printf(&b, "%s s%d%s", k ? "," : "\tlr__slot", k, k + 1 == maxd ? ";\n" : "");
	/* The fast path first (emit_native.c); it jumps to slow, the exact
	 * code below, when a value is not known. */
	{
		int uses_slow = 0, oom = 0;
		char *fast = en_fast(rs, code, p->len, p->start, depth, &uses_slow, &oom);
		if (oom) {
			out->oom = 1;
			goto done;
		}
		if (fast) {
			sb_puts(&b, fast);
			if (uses_slow)
				sb_puts(&b, "slow:\n");
			free(fast);
		}
	}
	for (k = 0; k < maxd; k++)
		sb_printf(&b, "\ts%d.m.w[0] = 0;\n%s", k, k + 1 == maxd ? "\n" : "");
	for (i = 0; i < p->len; i++) {
		const lr_insn *in = &code[i];
		uint64_t next = (uint64_t)i + 1;
		const char *name = NULL;
		d = depth[i];
		if (label[i]) /* labels are bytecode indices too */
			sb_printf(&b, "L%" PRIu64 ":\n", base + i);
		if (d < 0)
			continue;
		switch (in->op) {
		case LR_OP_CONST:
			sb_printf(&b, "\tlr__op_const(&s%d, ", d);
			put_i64(&b, rs->consts[in->arg]);
			sb_puts(&b, ");");
			break;
		case LR_OP_INPUT:
			sb_printf(&b, "\tlr__op_input(c, &s%d, %" PRId32 "u, %d);", d, in->arg, in->flags & 1);
			name = rs->inputs[in->arg].name;
			break;
		case LR_OP_LET:
			sb_printf(&b, "\tlr__op_let(c, &s%d, %" PRId32 "u);", d, in->arg);
			name = rs->lets[in->arg].name;
			break;
		case LR_OP_TABLE:
			sb_printf(&b, "\tlr__op_table(c, &s%d, %" PRId32 "u);", d, in->arg);
			name = rs->tables[in->arg].name;
			break;
		case LR_OP_OVERDUE:
			sb_printf(&b, "\tlr__op_overdue(c, &s%d, %" PRId32 "u);", d, in->arg);
			name = rs->schedules[in->arg].name;
			break;
		case LR_OP_NEG:
			sb_printf(&b, "\tlr__op_neg(c, &s%d);", d - 1);
			break;
		case LR_OP_NOT:
			sb_printf(&b, "\tlr__op_not(c, &s%d);", d - 1);
			break;
		case LR_OP_KNOWN:
			sb_printf(&b, "\tlr__op_known(&s%d);", d - 1);
			break;
		case LR_OP_DAY_OF_MONTH:
			sb_printf(&b, "\tlr__op_day_of_month(c, &s%d);", d - 1);
			break;
		case LR_OP_IN_SET:
			sb_printf(&b, "\tlr__op_in_set(c, &s%d, ", d - 1);
			put_i64(&b, rs->consts[in->arg]);
			sb_puts(&b, ");");
			break;
		case LR_OP_IF:
			sb_printf(&b,
				  "\tswitch (lr__if(s%d.x)) {\n\tcase LR__UNKNOWN: goto L%" PRIu64 ";\n"
				  "\tcase LR__ELSE: goto L%" PRIu64 ";\n\tdefault: break;\n\t}",
				  d - 1, base + i + (uint64_t)in->arg, base + i + (uint64_t)in->arg + 1);
			break;
		case LR_OP_JUMP:
			sb_printf(&b, "\tgoto L%" PRIu64 ";", base + next + (uint64_t)in->arg);
			break;
		case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
			sb_printf(&b, "\tif (lr__skip_%s(s%d.x))\n\t\tgoto L%" PRIu64 ";",
				  in->op == LR_OP_SKIP_FALSE ? "false" : "true", d - 1, base + next + (uint64_t)in->arg);
			break;
		case LR_OP_ADD_DAYS: case LR_OP_ADD_MONTHS:
			sb_printf(&b, "\t%s(c, &s%d, &s%d, ", binary_helper(in->op), d - 2, d - 1);
			put_i32(&b, in->arg);
			sb_puts(&b, ");");
			break;
		default: /* the other binary opcodes */
			sb_printf(&b, "\t%s(c, &s%d, &s%d);", binary_helper(in->op), d - 2, d - 1);
			break;
		}
		/* The bytecode index, and the name a load reads. */
		sb_printf(&b, " /* %" PRIu32 "%s", p->start + i, name ? ": " : "");
		put_comment_text(&b, name);
		sb_puts(&b, " */\n");
	}
	if (label[p->len])
		sb_printf(&b, "L%" PRIu64 ":\n", base + p->len);
	d = depth[p->len];
	if (d > 0)
		sb_printf(&b, "\treturn lr__ret(c, &s%d, miss);\n}\n\n", d - 1);
	else
		sb_puts(&b, "\treturn lr__ret_na(c, miss);\n}\n\n");
	if (b.oom) {
		out->oom = 1;
		goto done;
	}
	sb_put(out, b.p, b.len);
	ok = 1;
done:
	free(depth);
	free(label);
	free(used);
	free(b.p);
	return ok;
}

/* Native code pays for itself on rule sets of a size people write by
 * hand; on a large one it is megabytes of C that take the C compiler
 * minutes and gigabytes (10,000 generated rules: 24 MB, 40 s, 1.3 GB)
 * and run little faster than the interpreter, which every rule's
 * prefilter already skips.  Above this many instructions, or when the
 * missing sets do not fit native code's slots (LR__SLOT_WORDS), the
 * table is emitted as data only; the typed struct and NAME_eval remain. */
#define EMIT_NATIVE_MAX_CODE 20000

static int emits_native(const lr_ruleset *rs)
{
	return rs->ninputs <= LR__SLOT_WORDS * 64 && rs->ncode <= EMIT_NATIVE_MAX_CODE;
}

/* Every program of the table, sorted and without repeats, each printed as
 * a function when it translates; prints the functions, records which. */
static void gen_natives(sbuf *b, const lr_ruleset *rs, const extents *x, progs *ps)
{
	uint32_t i;
	size_t k, n = 0, nat = 0;

	for (i = 0; i < rs->nlets; i++)
		progs_add(ps, rs->lets[i].code);
	for (i = 0; i < rs->ntables; i++)
		progs_add(ps, rs->tables[i].key);
	for (i = 0; i < rs->nschedules; i++) {
		const lr_schedule_def *s = &rs->schedules[i];
		progs_add(ps, s->amount);
		progs_add(ps, s->anchor);
		progs_add(ps, s->last);
		progs_add(ps, s->asof);
		progs_add(ps, s->count);
	}
	for (i = 0; i < x->nactions; i++) {
		progs_add(ps, rs->actions[i].amount);
		progs_add(ps, rs->actions[i].due);
	}
	for (i = 0; i < rs->nrules; i++)
		progs_add(ps, rs->rules[i].cond);
	if (ps->oom) {
		b->oom = 1;
		return;
	}
	if (ps->n)
		qsort(ps->p, ps->n, sizeof *ps->p, prog_cmp);
	for (k = 0; k < ps->n; k++)
		if (k == 0 || prog_cmp(&ps->p[k - 1], &ps->p[k]) != 0)
			ps->p[n++] = ps->p[k];
	ps->n = n;
	if (!n)
		return;
	sb_puts(b, "/* Native code: each program's bytecode (lr_g_code) as a C function\n"
		   "** that the runtime calls instead of interpreting it.  Each instruction\n"
		   "** is one helper of litrule_vm.h, the one the interpreter calls for it;\n"
		   "** s0, s1, ... are the stack slots; comments give the bytecode index. */\n\n");
	for (k = 0; k < n; k++) {
		ps->p[k].native = gen_native(b, rs, &ps->p[k]);
		nat += (size_t)ps->p[k].native;
	}
	sb_printf(b, "/* %zu of %zu programs have native code%s. */\n", nat, n,
		  nat == n ? "" : "; the others are interpreted");
}

/* The rule set's C name for the typed API: the symbol without "lr_ruleset_". */
static const char *native_name(const char *symbol)
{
	return strncmp(symbol, "lr_ruleset_", 11) == 0 && symbol[11] ? symbol + 11 : symbol;
}

/* The evaluator of all rules (emit_native.c), after the programs' functions. */
static void gen_rules_native(sbuf *b, const lr_ruleset *rs, const progs *ps, const char *symbol)
{
	unsigned char *native = calloc(rs->nrules ? rs->nrules : 1, 1);
	char *text;
	uint32_t i;
	int oom = 0;

	(void)symbol;
	if (!native) {
		b->oom = 1;
		return;
	}
	for (i = 0; i < rs->nrules; i++) {
		const prog *p = progs_find(ps, rs->rules[i].cond);
		native[i] = rs->rules[i].cond.len && p && p->native;
	}
	text = en_rules(rs, native, &oom);
	free(native);
	if (!text) {
		b->oom = 1;
		return;
	}
	sb_puts(b, text);
	free(text);
}

/* NAME_eval and NAME_input_from_record, after the table they use. */
static void gen_entry_native(sbuf *b, const lr_ruleset *rs, const char *symbol)
{
	int oom = 0;
	char *text = en_entry(rs, native_name(symbol), symbol, emits_native(rs), &oom);
	if (!text) {
		b->oom = 1;
		return;
	}
	sb_puts(b, text);
	free(text);
}

static void gen_c(sbuf *b, const lr_ruleset *rs, const char *base, const char *symbol,
		  const char *const *files, size_t nfiles, longstr *ls)
{
	extents x;
	progs ps = {NULL, 0, 0, 0};
	uint32_t i, k;
	char *fname;
	size_t join_from;

	EXTENT(rs->tables, rs->ntables, first_row, nrows, x.nrows);
	EXTENT(rs->schedules, rs->nschedules, first_phase, nphases, x.nphases);
	EXTENT(rs->rules, rs->nrules, first_action, nactions, x.nactions);
	EXTENT(rs->rules, rs->nrules, first_cite, ncites, x.ncites);
	EXTENT(rs->rules, rs->nrules, first_read, nreads, x.nreads);
	EXTENT(rs->rules, rs->nrules, first_override, noverrides, x.noverrides);

	/* Pre-pass: every string that will be printed, so long ones can be
	 * defined first.  Order of discovery is the print order: deterministic. */
	long_note(ls, rs->name);
	long_note(ls, rs->version);
	long_note(ls, rs->hash);
	long_note(ls, rs->commit);
	for (i = 0; i < rs->ninputs; i++) {
		long_note(ls, rs->inputs[i].name);
		long_note(ls, rs->inputs[i].description);
		long_note(ls, rs->inputs[i].unit);
		for (k = 0; k < rs->inputs[i].nvalues; k++)
			long_note(ls, rs->inputs[i].values[k]);
	}
	for (i = 0; i < rs->nlets; i++) {
		long_note(ls, rs->lets[i].name);
		long_note(ls, rs->lets[i].unit);
	}
	for (i = 0; i < rs->ntables; i++) {
		long_note(ls, rs->tables[i].name);
		long_note(ls, rs->tables[i].unit);
	}
	for (i = 0; i < x.nphases; i++)
		long_note(ls, rs->phases[i].label);
	for (i = 0; i < rs->nschedules; i++) {
		const lr_schedule_def *s = &rs->schedules[i];
		long_note(ls, s->name);
		long_note(ls, s->drug);
		long_note(ls, s->unit);
		long_note(ls, s->route);
	}
	for (i = 0; i < rs->nrules; i++) {
		long_note(ls, rs->rules[i].id);
		long_note(ls, rs->rules[i].title);
		long_note(ls, rs->rules[i].file);
		long_note(ls, rs->rules[i].headings);
	}
	for (i = 0; i < x.nactions; i++) {
		long_note(ls, rs->actions[i].text);
		long_note(ls, rs->actions[i].unit);
		long_note(ls, rs->actions[i].route);
		long_note(ls, rs->actions[i].subject);
	}
	for (i = 0; i < x.ncites; i++) {
		long_note(ls, rs->citations[i].source);
		long_note(ls, rs->citations[i].title);
		long_note(ls, rs->citations[i].locator);
		long_note(ls, rs->citations[i].quote);
	}
	for (i = 0; i < rs->nsources; i++) {
		const lr_source_def *s = &rs->sources[i];
		const char *f[] = {s->id, s->title, s->authors, s->publisher, s->journal, s->year,
				   s->edition, s->version, s->doi, s->url, s->note, s->text_path};
		for (k = 0; k < COUNT(f); k++)
			long_note(ls, f[k]);
	}

	fname = malloc(strlen(base) + 3);
	if (!fname) {
		b->oom = 1;
		return;
	}
	sprintf(fname, "%s.c", base);
	banner(b, rs, fname, files, nfiles);
	free(fname);
	sb_printf(b, "\n#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n\n#include \"litrule_table.h\"\n#include \"litrule_vm.h\"\n#include \"%s.h\"\n\n",
		  base);
	if (ls->oom) {
		b->oom = 1;
		return;
	}
	put_long_strings(b, ls);
	if (emits_native(rs)) {
		gen_natives(b, rs, &x, &ps);
		gen_rules_native(b, rs, &ps, symbol);
	} else {
		sb_printf(b, "/* No native code: the rule set has %" PRIu32 " inputs and %" PRIu32 " instructions, more than\n"
			     "** native code serves (%d and %d, emit_c.c): the runtime interprets the table. */\n\n",
			  rs->ninputs, rs->ncode, LR__SLOT_WORDS * 64, EMIT_NATIVE_MAX_CODE);
	}

	/* Enumeration values: one array per enum input. */
	for (i = 0; i < rs->ninputs; i++) {
		const lr_input_def *in = &rs->inputs[i];
		if (in->nvalues == 0)
			continue;
		sb_printf(b, "static const char *const lr_g_values_%" PRIu32 "[%" PRIu32 "] = {", i, in->nvalues);
		for (k = 0; k < in->nvalues; k++) {
			sb_puts(b, k ? ", " : "");
			put_str(b, ls, in->values[k]);
		}
		sb_puts(b, "};\n");
	}

	join_from = b->len;
	if (rs->ninputs) {
		sb_printf(b, "\nstatic const lr_input_def lr_g_inputs[%" PRIu32 "] = {\n", rs->ninputs);
		for (i = 0; i < rs->ninputs; i++) {
			const lr_input_def *in = &rs->inputs[i];
			sb_printf(b, "\t/* %" PRIu32 " */ {\n\t\t.name = ", i);
			put_str(b, ls, in->name);
			sb_puts(b, ",\n\t\t.description = ");
			put_str(b, ls, in->description);
			sb_puts(b, ",\n\t\t.type = ");
			put_enum(b, type_names, COUNT(type_names), "lr_type", (int)in->type);
			sb_puts(b, ",\n\t\t.unit = ");
			put_str(b, ls, in->unit);
			sb_printf(b, ",\n\t\t.has_range = %d,\n\t\t.lo = ", in->has_range);
			put_i64(b, in->lo);
			sb_puts(b, ",\n\t\t.hi = ");
			put_i64(b, in->hi);
			sb_puts(b, ",\n\t\t.nvalues = ");
			put_u32(b, in->nvalues);
			if (in->nvalues)
				sb_printf(b, ",\n\t\t.values = lr_g_values_%" PRIu32 "\n\t},\n", i);
			else
				sb_puts(b, ",\n\t\t.values = NULL\n\t},\n");
		}
		sb_puts(b, "};\n");
	}

	if (rs->nlets) {
		sb_printf(b, "\nstatic const lr_let_def lr_g_lets[%" PRIu32 "] = {\n", rs->nlets);
		for (i = 0; i < rs->nlets; i++) {
			const lr_let_def *l = &rs->lets[i];
			sb_printf(b, "\t/* %" PRIu32 " */ {.name = ", i);
			put_str(b, ls, l->name);
			sb_puts(b, ", .type = ");
			put_enum(b, type_names, COUNT(type_names), "lr_type", (int)l->type);
			sb_puts(b, ", .unit = ");
			put_str(b, ls, l->unit);
			sb_puts(b, ", .code = ");
			put_code(b, &ps, l->code);
			sb_puts(b, "},\n");
		}
		sb_puts(b, "};\n");
	}

	if (rs->ntables) {
		sb_printf(b, "\nstatic const lr_table_def lr_g_tables[%" PRIu32 "] = {\n", rs->ntables);
		for (i = 0; i < rs->ntables; i++) {
			const lr_table_def *t = &rs->tables[i];
			sb_printf(b, "\t/* %" PRIu32 " */ {.name = ", i);
			put_str(b, ls, t->name);
			sb_puts(b, ", .unit = ");
			put_str(b, ls, t->unit);
			sb_puts(b, ", .key = ");
			put_code(b, &ps, t->key);
			sb_printf(b, ", .first_row = %" PRIu32 ", .nrows = %" PRIu32 ", .hit_first = %d},\n",
				  t->first_row, t->nrows, t->hit_first);
		}
		sb_puts(b, "};\n");
	}

	if (x.nrows) {
		sb_printf(b, "\n/* Rows: {lo_inf, hi_inf, lo_open, hi_open, has_value, lo, hi, value, line} */\n"
			     "static const lr_row_def lr_g_rows[%" PRIu32 "] = {\n", x.nrows);
		for (i = 0; i < x.nrows; i++) {
			const lr_row_def *r = &rs->rows[i];
			sb_printf(b, "\t{%d, %d, %d, %d, %d, ", r->lo_inf, r->hi_inf, r->lo_open, r->hi_open,
				  r->has_value);
			put_i64(b, r->lo);
			sb_puts(b, ", ");
			put_i64(b, r->hi);
			sb_puts(b, ", ");
			put_i64(b, r->value);
			sb_printf(b, ", %" PRIu32 "},\n", r->line);
		}
		sb_puts(b, "};\n");
	}

	if (x.nphases) {
		sb_printf(b, "\n/* Phases: {label, every, every_unit, bound, bound_unit} */\n"
			     "static const lr_phase_def lr_g_phases[%" PRIu32 "] = {\n", x.nphases);
		for (i = 0; i < x.nphases; i++) {
			const lr_phase_def *p = &rs->phases[i];
			sb_puts(b, "\t{");
			put_str(b, ls, p->label);
			sb_printf(b, ", %" PRId32 ", ", p->every);
			put_enum(b, unit_names, COUNT(unit_names), "lr_time_unit", (int)p->every_unit);
			sb_printf(b, ", %" PRId32 ", ", p->bound);
			put_enum(b, unit_names, COUNT(unit_names), "lr_time_unit", (int)p->bound_unit);
			sb_puts(b, "},\n");
		}
		sb_puts(b, "};\n");
	}

	if (rs->nschedules) {
		sb_printf(b, "\nstatic const lr_schedule_def lr_g_schedules[%" PRIu32 "] = {\n", rs->nschedules);
		for (i = 0; i < rs->nschedules; i++) {
			const lr_schedule_def *s = &rs->schedules[i];
			sb_printf(b, "\t/* %" PRIu32 " */ {\n\t\t.name = ", i);
			put_str(b, ls, s->name);
			sb_puts(b, ",\n\t\t.drug = ");
			put_str(b, ls, s->drug);
			sb_puts(b, ",\n\t\t.amount = ");
			put_code(b, &ps, s->amount);
			sb_puts(b, ",\n\t\t.unit = ");
			put_str(b, ls, s->unit);
			sb_puts(b, ",\n\t\t.route = ");
			put_str(b, ls, s->route);
			sb_printf(b, ",\n\t\t.first_phase = %" PRIu32 ",\n\t\t.nphases = %" PRIu32 ",\n\t\t.anchor = ",
				  s->first_phase, s->nphases);
			put_code(b, &ps, s->anchor);
			sb_puts(b, ",\n\t\t.last = ");
			put_code(b, &ps, s->last);
			sb_puts(b, ",\n\t\t.asof = ");
			put_code(b, &ps, s->asof);
			sb_puts(b, ",\n\t\t.count = ");
			put_code(b, &ps, s->count);
			sb_printf(b, ",\n\t\t.grace_days = %" PRId32 "\n\t},\n", s->grace_days);
		}
		sb_puts(b, "};\n");
	}

	if (x.nactions) {
		sb_printf(b, "\nstatic const lr_action_def lr_g_actions[%" PRIu32 "] = {\n", x.nactions);
		for (i = 0; i < x.nactions; i++) {
			const lr_action_def *a = &rs->actions[i];
			sb_printf(b, "\t/* %" PRIu32 " */ {\n\t\t.verb = ", i);
			put_enum(b, verb_names, COUNT(verb_names), "lr_verb", (int)a->verb);
			sb_puts(b, ",\n\t\t.text = ");
			put_str(b, ls, a->text);
			sb_puts(b, ",\n\t\t.amount = ");
			put_code(b, &ps, a->amount);
			sb_puts(b, ",\n\t\t.unit = ");
			put_str(b, ls, a->unit);
			sb_puts(b, ",\n\t\t.route = ");
			put_str(b, ls, a->route);
			sb_printf(b, ",\n\t\t.schedule = %" PRId32 ",\n\t\t.subject = ", a->schedule);
			put_str(b, ls, a->subject);
			sb_puts(b, ",\n\t\t.due = ");
			put_code(b, &ps, a->due);
			sb_puts(b, "\n\t},\n");
		}
		sb_puts(b, "};\n");
	}

	if (x.ncites) {
		sb_printf(b, "\nstatic const lr_citation lr_g_citations[%" PRIu32 "] = {\n", x.ncites);
		for (i = 0; i < x.ncites; i++) {
			const lr_citation *c = &rs->citations[i];
			sb_printf(b, "\t/* %" PRIu32 " */ {\n\t\t.source = ", i);
			put_str(b, ls, c->source);
			sb_puts(b, ",\n\t\t.title = ");
			put_str(b, ls, c->title);
			sb_puts(b, ",\n\t\t.locator = ");
			put_str(b, ls, c->locator);
			sb_puts(b, ",\n\t\t.quote = ");
			put_str(b, ls, c->quote);
			sb_puts(b, "\n\t},\n");
		}
		sb_puts(b, "};\n");
	}

	if (rs->nsources) {
		static const char *const fields[] = {"id", "title", "authors", "publisher", "journal", "year",
						     "edition", "version", "doi", "url", "note", "text_path"};
		sb_printf(b, "\nstatic const lr_source_def lr_g_sources[%" PRIu32 "] = {\n", rs->nsources);
		for (i = 0; i < rs->nsources; i++) {
			const lr_source_def *s = &rs->sources[i];
			const char *f[] = {s->id, s->title, s->authors, s->publisher, s->journal, s->year,
					   s->edition, s->version, s->doi, s->url, s->note, s->text_path};
			sb_printf(b, "\t/* %" PRIu32 " */ {", i);
			for (k = 0; k < COUNT(f); k++) {
				sb_printf(b, "%s\n\t\t.%s = ", k ? "," : "", fields[k]);
				put_str(b, ls, f[k]);
			}
			sb_puts(b, "\n\t},\n");
		}
		sb_puts(b, "};\n");
	}

	if (rs->nrules) {
		sb_printf(b, "\nstatic const lr_rule_def lr_g_rules[%" PRIu32 "] = {\n", rs->nrules);
		for (i = 0; i < rs->nrules; i++) {
			const lr_rule_def *r = &rs->rules[i];
			sb_printf(b, "\t/* %" PRIu32 " */ {\n\t\t.id = ", i);
			put_str(b, ls, r->id);
			sb_puts(b, ",\n\t\t.title = ");
			put_str(b, ls, r->title);
			sb_puts(b, ",\n\t\t.cond = ");
			put_code(b, &ps, r->cond);
			sb_printf(b, ",\n\t\t.guard_input = %" PRId32 ", .guard_mask = UINT64_C(0x%016" PRIx64 ")",
				  r->guard_input, r->guard_mask);
			sb_printf(b,
				  ",\n\t\t.first_action = %" PRIu32 ", .nactions = %" PRIu32
				  ",\n\t\t.first_cite = %" PRIu32 ", .ncites = %" PRIu32
				  ",\n\t\t.first_read = %" PRIu32 ", .nreads = %" PRIu32
				  ",\n\t\t.first_override = %" PRIu32 ", .noverrides = %" PRIu32 ",\n\t\t.file = ",
				  r->first_action, r->nactions, r->first_cite, r->ncites, r->first_read, r->nreads,
				  r->first_override, r->noverrides);
			put_str(b, ls, r->file);
			sb_printf(b, ",\n\t\t.line = %" PRIu32 ", .end_line = %" PRIu32 ",\n\t\t.headings = ", r->line,
				  r->end_line);
			put_str(b, ls, r->headings);
			sb_puts(b, "\n\t},\n");
		}
		sb_puts(b, "};\n");
	}

	if (!emits_native(rs))
		sb_join_entries(b, join_from);
	put_u32_array(b, "Inputs each rule reads (rules[i].first_read, nreads)", "lr_g_reads", rs->reads, x.nreads);
	put_u32_array(b, "Rules each rule overrides (rules[i].first_override, noverrides)", "lr_g_overrides",
		      rs->overrides, x.noverrides);

	if (rs->ncode) {
		sb_printf(b, "\n/* Stack-machine code: {op, flags, pad, arg} */\n"
			     "static const lr_insn lr_g_code[%" PRIu32 "] = {\n", rs->ncode);
		/* A large rule set's code is data only (emits_native): eight
		 * instructions a line, the first one's index in front. */
		int dense = !emits_native(rs);
		for (i = 0; i < rs->ncode; i++) {
			const lr_insn *in = &rs->code[i];
			if (!dense)
				sb_puts(b, "\t{");
			else if (i % 8 == 0)
				sb_printf(b, "\t/* %" PRIu32 " */ {", i);
			else
				sb_puts(b, " {");
			put_enum(b, op_names, COUNT(op_names), "lr_opcode", (int)in->op);
			if (!dense)
				sb_printf(b, ", %u, %u, %" PRId32 "}, /* %" PRIu32 " */\n", (unsigned)in->flags,
					  (unsigned)in->pad, in->arg, i);
			else
				sb_printf(b, ", %u, %u, %" PRId32 "},%s", (unsigned)in->flags, (unsigned)in->pad, in->arg,
					  i % 8 == 7 || i + 1 == rs->ncode ? "\n" : "");
		}
		sb_puts(b, "};\n");
	}

	if (rs->nconsts) {
		sb_printf(b, "\nstatic const int64_t lr_g_consts[%" PRIu32 "] = {\n", rs->nconsts);
		for (i = 0; i < rs->nconsts; i++) {
			sb_puts(b, "\t");
			put_i64(b, rs->consts[i]);
			sb_printf(b, ", /* %" PRIu32 " */\n", i);
		}
		sb_puts(b, "};\n");
	}

	/* The exported object.  Field by field, with the identity fields that
	 * lr_ruleset_check compares against the runtime it is linked with. */
	sb_printf(b, "\nconst lr_ruleset %s = {\n", symbol);
	sb_puts(b, "\t.magic = LR_TABLE_MAGIC,\n"
		   "\t.format = LR_TABLE_FORMAT,\n"
		   "\t.sizeof_insn = (uint32_t)sizeof(lr_insn),\n"
		   "\t.sizeof_rule = (uint32_t)sizeof(lr_rule_def),\n\t.name = ");
	put_str(b, ls, rs->name);
	sb_puts(b, ",\n\t.version = ");
	put_str(b, ls, rs->version);
	sb_puts(b, ",\n\t.hash = ");
	put_str(b, ls, rs->hash);
	sb_puts(b, ",\n\t.commit = ");
	put_str(b, ls, rs->commit);
	sb_printf(b,
		  ",\n\t.ninputs = %" PRIu32 ",\n\t.nlets = %" PRIu32 ",\n\t.ntables = %" PRIu32
		  ",\n\t.nschedules = %" PRIu32 ",\n\t.nrules = %" PRIu32 ",\n\t.nsources = %" PRIu32 ",\n",
		  rs->ninputs, rs->nlets, rs->ntables, rs->nschedules, rs->nrules, rs->nsources);
	sb_printf(b, "\t.inputs = %s,\n", rs->ninputs ? "lr_g_inputs" : "NULL");
	sb_printf(b, "\t.lets = %s,\n", rs->nlets ? "lr_g_lets" : "NULL");
	sb_printf(b, "\t.tables = %s,\n", rs->ntables ? "lr_g_tables" : "NULL");
	sb_printf(b, "\t.rows = %s,\n", x.nrows ? "lr_g_rows" : "NULL");
	sb_printf(b, "\t.schedules = %s,\n", rs->nschedules ? "lr_g_schedules" : "NULL");
	sb_printf(b, "\t.phases = %s,\n", x.nphases ? "lr_g_phases" : "NULL");
	sb_printf(b, "\t.rules = %s,\n", rs->nrules ? "lr_g_rules" : "NULL");
	sb_printf(b, "\t.actions = %s,\n", x.nactions ? "lr_g_actions" : "NULL");
	sb_printf(b, "\t.citations = %s,\n", x.ncites ? "lr_g_citations" : "NULL");
	sb_printf(b, "\t.sources = %s,\n", rs->nsources ? "lr_g_sources" : "NULL");
	sb_printf(b, "\t.reads = %s,\n", x.nreads ? "lr_g_reads" : "NULL");
	sb_printf(b, "\t.code = %s,\n", rs->ncode ? "lr_g_code" : "NULL");
	sb_printf(b, "\t.consts = %s,\n", rs->nconsts ? "lr_g_consts" : "NULL");
	sb_printf(b, "\t.ncode = %" PRIu32 ",\n\t.nconsts = %" PRIu32 ",\n", rs->ncode, rs->nconsts);
	sb_printf(b, "\t.max_actions = %" PRIu32 ",\n", rs->max_actions);
	sb_printf(b, "\t.overrides = %s,\n", x.noverrides ? "lr_g_overrides" : "NULL");
	sb_printf(b, "\t.noverrides = %" PRIu32 ",\n\t.nsets = %" PRIu32 ",\n", x.noverrides, rs->nsets);
	sb_printf(b, "\t.native = %s\n};\n", emits_native(rs) ? "lr_g_native" : "NULL");
	gen_entry_native(b, rs, symbol);
	if (ps.oom)
		b->oom = 1;
	free(ps.p);
}

/* ---- the .h file -------------------------------------------------------------- */

static void gen_h(sbuf *b, const lr_ruleset *rs, const char *base, const char *symbol,
		  const char *const *files, size_t nfiles)
{
	char *guard, *fname;
	size_t i, n = strlen(symbol);

	guard = malloc(n + 32);
	fname = malloc(strlen(base) + 3);
	if (!guard || !fname) {
		free(guard);
		free(fname);
		b->oom = 1;
		return;
	}
	sprintf(fname, "%s.h", base);
	/* The symbol is a C identifier (checked), so its upper case is a valid
	 * macro name; the prefix keeps it clear of the runtime's own guards. */
	strcpy(guard, "LITRULE_GENERATED_");
	for (i = 0; i < n; i++) {
		char ch = symbol[i];
		guard[18 + i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
	}
	strcpy(guard + 18 + n, "_H");
	banner(b, rs, fname, files, nfiles);
	sb_printf(b,
		  "#ifndef %s\n#define %s\n\n#include \"litrule.h\"\n\n"
		  "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
		  "/* The compiled rule set: pass &%s to lr_record_init and lr_eval. */\n"
		  "extern const lr_ruleset %s;\n\n",
		  guard, guard, symbol, symbol);
	/* The macro is the guard without its prefix and _H suffix. */
	guard[18 + n] = '\0';
	sb_printf(b,
		  "/* The most actions one evaluation can produce (lr_ruleset_max_actions):\n"
		  " * an lr_action buffer of this many never fills (LR_EFULL). */\n"
		  "#define %s_MAX_ACTIONS %" PRIu32 "u\n\n",
		  guard + 18, rs->max_actions);
	sb_printf(b,
		  "/* The bytes of scratch one evaluation needs (lr_scratch_size, on the\n"
		  " * platform that ran `litrule build`): a buffer of this many, aligned for\n"
		  " * uint64_t, serves lr_eval_scratch.  lr_eval, lr_eval_decisions and\n"
		  " * NAME_eval use LR_EVAL_STACK_SCRATCH bytes on the C stack%s. */\n"
		  "#define %s_SCRATCH_BYTES %zuu\n\n",
		  lr_scratch_size(rs) > LR_EVAL_STACK_SCRATCH ? ", which is too small for this rule set: they return LR_ESCRATCH" : "",
		  guard + 18, lr_scratch_size(rs));
	{
		int oom = 0;
		char *text = en_header(rs, native_name(symbol), &oom);
		if (!text)
			b->oom = 1;
		else
			sb_puts(b, text);
		free(text);
	}
	{
		/* NAME_eval_scratch's buffer: lr_scratch_size's, and for a rule set
		 * past LR_RECORD_INLINE inputs the typed values' arrays in front of
		 * it (en_entry_loop; smaller sets keep those on the C stack). */
		size_t head = rs->ninputs > LR_RECORD_INLINE ? ((size_t)rs->ninputs * 9 + 7) & ~(size_t)7 : 0;
		sb_printf(b,
			  "\n/* NAME_eval with the caller's scratch buffer, of at least\n"
			  " * %s_EVAL_SCRATCH_BYTES bytes aligned for uint64_t (one buffer serves\n"
			  " * any number of evaluations, one at a time); NAME_eval uses\n"
			  " * LR_EVAL_STACK_SCRATCH bytes on the C stack%s. */\n"
			  "#define %s_EVAL_SCRATCH_BYTES %zuu\n"
			  "int %s_eval_scratch(lr_decisions *out, const %s_input *in, void *scratch, size_t size);\n\n",
			  guard + 18,
			  head + lr_scratch_size(rs) > LR_EVAL_STACK_SCRATCH ? ", too few for this rule set (LR_ESCRATCH)" : "",
			  guard + 18, head + lr_scratch_size(rs), native_name(symbol), native_name(symbol));
	}
	strcpy(guard + 18 + n, "_H");
	sb_printf(b, "#ifdef __cplusplus\n}\n#endif\n#endif /* %s */\n", guard);
	free(guard);
	free(fname);
}

/* ---- writing -------------------------------------------------------------------- */

int emit_c_is_identifier(const char *s)
{
	size_t i;
	if (!s || !*s || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return 0;
	return 1;
}

/* The base name becomes a file name and an #include "BASE.h" line: no
 * directory separators, quotes or backslashes, and no leading dot (the
 * temporaries are dot files). */
static int is_file_base(const char *s)
{
	size_t i;
	if (!s || !*s || s[0] == '.')
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

/* Writes buf to a fresh temporary DIR/.BASE.EXT.tmpXXXXXX; returns its
 * malloc'd path, or NULL with errno set (and nothing left on disk). */
static char *write_temp(const char *dir, const char *base, const char *ext, const sbuf *buf)
{
	size_t n = strlen(dir) + strlen(base) + strlen(ext) + 16;
	char *path = malloc(n);
	int fd, e;
	size_t off = 0;
	mode_t mask;

	if (!path)
		return NULL;
	snprintf(path, n, "%s/.%s.%s.tmpXXXXXX", dir, base, ext);
	fd = mkstemp(path);
	if (fd < 0) {
		e = errno;
		free(path);
		errno = e;
		return NULL;
	}
	/* mkstemp creates the file 0600; a source file should get the usual
	 * permissions, as if created by open(2) under the current umask. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0)
		goto fail;
	while (off < buf->len) {
		ssize_t w = write(fd, buf->p + off, buf->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	/* Data on disk before the rename makes it visible: after a crash the
	 * file is either the old one or the complete new one. */
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return path;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(path);
	free(path);
	errno = e;
	return NULL;
}

/* Builds into one DIR with one BASE serialise on an exclusive POSIX lock
 * on DIR/.BASE.lock, held from writing the temporaries until both renames
 * are done: without it two racing builds could leave one build's .h next
 * to the other's .c.  The holder unlinks the lock file before it lets go,
 * so no file is left behind; a waiter that then gets the lock on the
 * unlinked file sees that the path no longer names it and starts over.
 * The lock goes with the descriptor, also when the process is killed.
 * Returns the descriptor (the path in *lock_path, malloc'd), or -1 with
 * errno set. */
static int take_lock(const char *dir, const char *base, char **lock_path)
{
	size_t n = strlen(dir) + strlen(base) + 16;
	char *path = malloc(n);
	struct flock fl;
	struct stat a, b;
	int fd, e;

	*lock_path = NULL;
	if (!path)
		return -1;
	snprintf(path, n, "%s/.%s.lock", dir, base);
	for (;;) {
		if ((fd = open(path, O_RDWR | O_CREAT, 0666)) < 0)
			goto fail;
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		while (fcntl(fd, F_SETLKW, &fl) != 0)
			if (errno != EINTR)
				goto fail;
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			break;
		close(fd);
	}
	*lock_path = path;
	return fd;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	free(path);
	errno = e;
	return -1;
}

static void release_lock(int fd, char *path)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
	free(path);
}

/* Under the lock: removes .BASE.c.tmp* and .BASE.h.tmp* that a killed
 * build left behind.  Safe, as any live writer of them holds the lock. */
static void remove_stale(const char *dir, const char *base)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t bl = strlen(base);

	if (!dp)
		return;
	while ((de = readdir(dp)) != NULL) {
		const char *nm = de->d_name;
		if (nm[0] == '.' && strncmp(nm + 1, base, bl) == 0 &&
		    (strncmp(nm + 1 + bl, ".c.tmp", 6) == 0 || strncmp(nm + 1 + bl, ".h.tmp", 6) == 0)) {
			size_t n = strlen(dir) + strlen(nm) + 2;
			char *p = malloc(n);
			if (!p)
				break;
			snprintf(p, n, "%s/%s", dir, nm);
			unlink(p);
			free(p);
		}
	}
	closedir(dp);
}

static char *final_path(const char *dir, const char *base, const char *ext)
{
	size_t n = strlen(dir) + strlen(base) + strlen(ext) + 3;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s.%s", dir, base, ext);
	return p;
}

/* The checks and the generation both entry points share. */
static int generate(sbuf *c, sbuf *h, longstr *ls, const lr_ruleset *rs, const char *base,
		    const char *symbol, const char *const *files, size_t nfiles, const char **why)
{
	if (!rs || !is_file_base(base)) {
		*why = "invalid output name (use letters, digits, '_', '-' and '.')";
		return -1;
	}
	if (!emit_c_is_identifier(symbol)) {
		*why = "the rule set's name does not make a C identifier (use letters, digits and _)";
		return -1;
	}
	if (lr_ruleset_check(rs) != LR_OK) {
		*why = "the table was not built for this runtime";
		return -1;
	}
	gen_c(c, rs, base, symbol, files, nfiles, ls);
	gen_h(h, rs, base, symbol, files, nfiles);
	if (c->oom || h->oom || ls->oom) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

int emit_c_memory(char **c_out, size_t *c_len, char **h_out, size_t *h_len, const lr_ruleset *rs,
		  const char *base, const char *symbol, const char *const *files, size_t nfiles,
		  const char **why)
{
	sbuf c = {NULL, 0, 0, 0}, h = {NULL, 0, 0, 0};
	longstr ls = {NULL, 0, 0, 0};

	*why = "";
	*c_out = *h_out = NULL;
	*c_len = *h_len = 0;
	if (generate(&c, &h, &ls, rs, base, symbol, files, nfiles, why) != 0) {
		free(c.p);
		free(h.p);
		free(ls.s);
		return -1;
	}
	free(ls.s);
	*c_out = c.p;
	*c_len = c.len;
	*h_out = h.p;
	*h_len = h.len;
	return 0;
}

int emit_c(const lr_ruleset *rs, const char *dir, const char *base, const char *symbol,
	   const char *const *files, size_t nfiles, const char **why)
{
	sbuf c = {NULL, 0, 0, 0}, h = {NULL, 0, 0, 0};
	longstr ls = {NULL, 0, 0, 0};
	char *tmp_c = NULL, *tmp_h = NULL, *out_c = NULL, *out_h = NULL, *lock_path = NULL;
	int status = -1, lock = -1;

	*why = "";
	if (!dir || !*dir) {
		*why = "no output directory";
		return -1;
	}
	if (generate(&c, &h, &ls, rs, base, symbol, files, nfiles, why) != 0)
		goto done;
	out_c = final_path(dir, base, "c");
	out_h = final_path(dir, base, "h");
	if (!out_c || !out_h) {
		*why = "out of memory";
		goto done;
	}
	if ((lock = take_lock(dir, base, &lock_path)) < 0) {
		*why = strerror(errno);
		goto done;
	}
	remove_stale(dir, base);
	if (!(tmp_c = write_temp(dir, base, "c", &c)) || !(tmp_h = write_temp(dir, base, "h", &h))) {
		*why = strerror(errno);
		goto done;
	}
	/* Header first: a .c without its header would not compile, while a
	 * new header next to the previous .c declares the same symbol. */
	if (rename(tmp_h, out_h) != 0) {
		*why = strerror(errno);
		goto done;
	}
	free(tmp_h);
	tmp_h = NULL;
	if (rename(tmp_c, out_c) != 0) {
		*why = strerror(errno);
		/* Do not leave the new header paired with a stale table. */
		unlink(out_h);
		goto done;
	}
	free(tmp_c);
	tmp_c = NULL;
	status = 0;
done:
	if (tmp_c) {
		unlink(tmp_c);
		free(tmp_c);
	}
	if (tmp_h) {
		unlink(tmp_h);
		free(tmp_h);
	}
	release_lock(lock, lock_path); /* after the renames: the pair is complete */
	free(out_c);
	free(out_h);
	free(c.p);
	free(h.p);
	free(ls.s);
	return status;
}
