/*
** emit_native.c: the native evaluator of a generated rule set.
**
** emit_c prints every program as a C function of litrule_vm.h helper
** calls, which carry three-valued logic and missing sets (the exact
** path).  This module adds what makes generated code fast:
**
**  - en_fast: a fast path in front of each program's exact code, the same
**    instructions on plain int64 locals, taken while every value is known
**    (the common case).  Any value that is not known, or any arithmetic
**    error, jumps to the exact code, which starts over and computes what
**    the interpreter computes, error included; the fast path has no
**    effect of its own but filling caches the exact path would fill in the
**    same order (litrule_vm.h, "fast path helpers").  An opcode the fast
**    path does not know gets no fast path: the program stays exact.
**  - en_rules: the exact path of each rule (lr_g_rule_N): its prefilter
**    with constants, its condition's function called directly, and the
**    runtime called only for rules whose condition is true, missing or
**    raised an error (runtime/native.c fires actions and reports,
**    data-driven); lr_g_native runs them all (lr_eval's evaluator).
**  - en_header, en_entry: the typed input struct NAME_input (one typed
**    field per input and presence bits) and NAME_eval, whose typed fast
**    path is emit_native_fast.c's (en_typed), into compact decisions
**    (lr_decisions, litrule.h).
**
** Output is deterministic: everything is printed in table order.
*/
#define _POSIX_C_SOURCE 200809L
#include "emit_native.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output ------------------------------------------------------------------ */

typedef struct {
	FILE *f;
	char *p;
	size_t n;
} en_buf;

static int en_open(en_buf *b)
{
	b->p = NULL;
	b->n = 0;
	b->f = open_memstream(&b->p, &b->n);
	return b->f != NULL;
}

/* Closes the stream; the text, or NULL (and *oom) when it failed. */
static char *en_close(en_buf *b, int *oom)
{
	if (!b->f) {
		*oom = 1;
		return NULL;
	}
	if (ferror(b->f) | fclose(b->f)) {
		free(b->p);
		*oom = 1;
		return NULL;
	}
	return b->p;
}

void en_i64(FILE *f, int64_t v)
{
	if (v == INT64_MIN)
		fputs("(-INT64_C(9223372036854775807) - 1)", f);
	else
		fprintf(f, "INT64_C(%" PRId64 ")", v);
}

/* ---- fast path ------------------------------------------------------------------ */

/* Whether the fast path knows the opcode (the others keep the program exact). */
static int en_fast_op(int op)
{
	switch (op) {
	case LR_OP_CONST: case LR_OP_INPUT: case LR_OP_LET: case LR_OP_TABLE: case LR_OP_OVERDUE:
	case LR_OP_ADD: case LR_OP_SUB: case LR_OP_MUL: case LR_OP_DIV: case LR_OP_NEG:
	case LR_OP_ADD_DAYS: case LR_OP_ADD_MONTHS:
	case LR_OP_LT: case LR_OP_LE: case LR_OP_GT: case LR_OP_GE: case LR_OP_EQ: case LR_OP_NE:
	case LR_OP_AND: case LR_OP_OR: case LR_OP_NOT: case LR_OP_KNOWN: case LR_OP_IN_SET:
	case LR_OP_IF: case LR_OP_JUMP: case LR_OP_COALESCE: case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
		return 1;
	default:
		return 0;
	}
}

/* Targets of the fast path's jumps: those of the exact code. */
static void en_fast_labels(const lr_insn *code, uint32_t len, const int *depth, unsigned char *label)
{
	uint32_t i;
	for (i = 0; i < len; i++) {
		uint64_t next = (uint64_t)i + 1;
		if (depth[i] < 0)
			continue;
		if (code[i].op == LR_OP_IF)
			label[(uint64_t)i + (uint64_t)code[i].arg] = label[(uint64_t)i + (uint64_t)code[i].arg + 1] = 1;
		else if (code[i].op == LR_OP_JUMP || code[i].op == LR_OP_SKIP_FALSE || code[i].op == LR_OP_SKIP_TRUE)
			label[next + (uint64_t)code[i].arg] = 1;
	}
}

static const char *en_val_helper(int op)
{
	switch (op) {
	case LR_OP_ADD: return "lr__add(c, ";
	case LR_OP_SUB: return "lr__sub(c, ";
	case LR_OP_MUL: return "lr__mul(c, ";
	case LR_OP_DIV: return "lr__div(c, ";
	case LR_OP_LT: return "lr__cmp_lt(";
	case LR_OP_LE: return "lr__cmp_le(";
	case LR_OP_GT: return "lr__cmp_gt(";
	case LR_OP_GE: return "lr__cmp_ge(";
	case LR_OP_EQ: return "lr__cmp_eq(";
	case LR_OP_NE: return "lr__cmp_ne(";
	case LR_OP_AND: return "lr__and(";
	case LR_OP_OR: return "lr__or(";
	default: return "lr__coalesce(";
	}
}

/* One instruction at depth d on value locals f0, f1, ...: the value
 * helper of litrule_vm.h that the opcode's slot helper calls. */
static void en_fast_insn(FILE *f, const lr_ruleset *rs, const lr_insn *in, int d, uint64_t at)
{
	int a = d - 2, b = d - 1; /* binary operands; unary: b */
	switch (in->op) {
	case LR_OP_CONST:
		fprintf(f, "\t\tf%d = lr__mk(", d);
		en_i64(f, rs->consts[in->arg]);
		fputs(");\n", f);
		return;
	case LR_OP_INPUT:
		fprintf(f, "\t\tf%d = lr__fx_input(c, %" PRId32 "u);\n", d, in->arg);
		return;
	case LR_OP_LET: case LR_OP_TABLE: case LR_OP_OVERDUE:
		fprintf(f, "\t\tf%d = lr__fx_%s(c, %" PRId32 "u);\n", d,
			in->op == LR_OP_LET ? "let" : in->op == LR_OP_TABLE ? "table" : "overdue", in->arg);
		return;
	case LR_OP_NEG:
		fprintf(f, "\t\tf%d = lr__neg(c, f%d);\n", b, b);
		return;
	case LR_OP_NOT:
		fprintf(f, "\t\tf%d = lr__not(f%d);\n", b, b);
		return;
	case LR_OP_KNOWN:
		fprintf(f, "\t\tf%d = lr__known(f%d);\n", b, b);
		return;
	case LR_OP_ADD_DAYS: case LR_OP_ADD_MONTHS:
		fprintf(f, "\t\tf%d = lr__add_%s(c, f%d, f%d, %" PRId32 ");\n", a,
			in->op == LR_OP_ADD_MONTHS ? "months" : "days", a, b, in->arg);
		return;
	case LR_OP_IN_SET:
		fprintf(f, "\t\tf%d = lr__in_set(f%d, ", b, b);
		en_i64(f, rs->consts[in->arg]);
		fputs(");\n", f);
		return;
	case LR_OP_IF:
		fprintf(f, "\t\tswitch (lr__if(f%d)) {\n\t\tcase LR__UNKNOWN: goto F%" PRIu64 ";\n"
			   "\t\tcase LR__ELSE: goto F%" PRIu64 ";\n\t\tdefault: break;\n\t\t}\n",
			b, at + (uint64_t)in->arg, at + (uint64_t)in->arg + 1);
		return;
	case LR_OP_JUMP:
		fprintf(f, "\t\tgoto F%" PRIu64 ";\n", at + 1 + (uint64_t)in->arg);
		return;
	case LR_OP_SKIP_FALSE: case LR_OP_SKIP_TRUE:
		fprintf(f, "\t\tif (lr__skip_%s(f%d))\n\t\t\tgoto F%" PRIu64 ";\n",
			in->op == LR_OP_SKIP_FALSE ? "false" : "true", b, at + 1 + (uint64_t)in->arg);
		return;
	default: /* the other binary opcodes */
		fprintf(f, "\t\tf%d = %sf%d, f%d);\n", a, en_val_helper(in->op), a, b);
		return;
	}
}

char *en_fast(const lr_ruleset *rs, const lr_insn *code, uint32_t len, uint32_t start, const int *depth,
	      int *uses_slow, int *oom)
{
	en_buf b;
	unsigned char *label;
	uint32_t i;
	int maxd = 0, k;

	*uses_slow = 0;
	if (len == 0 || depth[len] <= 0)
		return NULL;
	for (i = 0; i < len; i++)
		if (depth[i] >= 0 && !en_fast_op(code[i].op))
			return NULL;
	/* Every value pushed is read later or is the result, so the deepest
	 * point between instructions is the number of slots. */
	for (i = 0; i <= len; i++)
		if (depth[i] > maxd)
			maxd = depth[i];
	label = calloc((size_t)len + 1, 1);
	if (!label || !en_open(&b)) {
		free(label);
		*oom = 1;
		return NULL;
	}
	en_fast_labels(code, len, depth, label);
	fputs("\t{ /* values only; the exact code below when the value is not known */\n\t\tlr__val", b.f);
	for (k = 0; k < maxd; k++)
		fprintf(b.f, "%s f%d", k ? "," : "", k);
	fputs(";\n\n", b.f);
	for (i = 0; i < len; i++) {
		if (label[i])
			fprintf(b.f, "\tF%" PRIu64 ":\n", (uint64_t)start + i);
		if (depth[i] >= 0)
			en_fast_insn(b.f, rs, &code[i], depth[i], (uint64_t)start + i);
	}
	if (label[len])
		fprintf(b.f, "\tF%" PRIu64 ":\n", (uint64_t)start + len);
	fprintf(b.f, "\t\tif (f%d.k == 1)\n\t\t\treturn f%d;\n\t}\n", depth[len] - 1, depth[len] - 1);
	*uses_slow = 0; /* it falls through to the exact code */
	free(label);
	return en_close(&b, oom);
}

/* ---- the evaluator of all rules ------------------------------------------------ */

/* Rule i's exact path, as statements at indent t (tabs); skip is the
 * statement that leaves the rule (return, or break out of a block). */
static void en_rule_block(FILE *f, const lr_ruleset *rs, const unsigned char *native, uint32_t i, const char *t,
			  const char *skip)
{
	const lr_rule_def *r = &rs->rules[i];
	int guarded = r->guard_input >= 0 && (uint32_t)r->guard_input < rs->ninputs;
	if (guarded)
		fprintf(f, "%sif (lr__nat_guarded(c, %" PRId32 "u, UINT64_C(0x%016" PRIx64 ")))\n%s\t%s;\n", t,
			r->guard_input, r->guard_mask, t, skip);
	fprintf(f, "%sc->err = 0;\n", t);
	if (r->cond.len == 0)
		fprintf(f, "%sv = lr__mk(1);\n", t);
	else if (native[i])
		fprintf(f, "%sv = lr_g_fn_%" PRIu32 "_%" PRIu32 "(c, &m);\n", t, r->cond.start, r->cond.len);
	else
		fprintf(f, "%sv = lr__nat_cond(c, %" PRIu32 "u, &m);\n", t, i);
	fprintf(f, "%sif (v.k == 0 || (v.k == 1 && v.v) || c->err)\n%s\tlr__nat_rule_done(c, %" PRIu32 "u, v, &m);\n", t, t,
		i);
}

char *en_rules(const lr_ruleset *rs, const unsigned char *native, int *oom)
{
	en_buf b;
	uint32_t i;

	if (!en_open(&b)) {
		*oom = 1;
		return NULL;
	}
	/* Each rule twice: as a function for the typed entry, which runs the
	 * exact path of one rule at a time (rarely: on errors), and inline in
	 * lr_g_native, where a call per rule would cost lr_eval 10% more. */
	fputs("\n/* The exact path of each rule (the typed entry's fallback): its prefilter\n"
	      "** with constants and its condition's function called directly; the runtime\n"
	      "** (lr__nat_rule_done) fires the rule when its condition holds and reports it\n"
	      "** when its condition is missing or raised an error. */\n", b.f);
	for (i = 0; i < rs->nrules; i++) {
		fprintf(b.f, "LR__FXN void lr_g_rule_%" PRIu32 "(lr__ctx *c)\n{\n\tlr__val v;\n\tlr__bits m;\n\n"
			     "\tm.w[0] = 0;\n", i);
		en_rule_block(b.f, rs, native, i, "\t", "return");
		fputs("}\n\n", b.f);
	}
	fputs("/* The native evaluator (lr_ruleset.native): every rule in order on the\n"
	      "** exact path. */\nstatic void lr_g_native(lr__ctx *c)\n{\n\tlr__val v;\n\tlr__bits m;\n\n\tm.w[0] = 0;\n",
	      b.f);
	for (i = 0; i < rs->nrules; i++) {
		fprintf(b.f, "\t/* %" PRIu32 " */\n\tdo {\n", i);
		en_rule_block(b.f, rs, native, i, "\t\t", "break");
		fputs("\t} while (0);\n", b.f);
	}
	if (rs->nrules == 0)
		fputs("\t(void)c;\n\t(void)v;\n", b.f);
	fputs("}\n", b.f);
	return en_close(&b, oom);
}

/* ---- the typed input struct ------------------------------------------------------ */

static const char *const c_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
	"extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
	"short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
	"volatile", "while", "bool", "true", "false", "class", "new", "delete", "this", "template",
	"private", "public", "protected", "namespace", "operator", "friend", "virtual", "present",
};

/* Prints s as a C identifier part: letters, digits and '_' kept (upper
 * case when upper), anything else '_'. */
void en_ident(FILE *f, const char *s, int upper)
{
	for (; *s; s++) {
		char ch = *s;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
		if (!ok)
			ch = '_';
		else if (upper && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		fputc(ch, f);
	}
}

/* Whether two strings read the same as identifiers (en_ident). */
static int en_same_ident(const char *a, const char *b, int upper)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		int okx = (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') || x == '_';
		int oky = (y >= 'a' && y <= 'z') || (y >= 'A' && y <= 'Z') || (y >= '0' && y <= '9') || y == '_';
		x = okx ? x : '_';
		y = oky ? y : '_';
		if (upper) {
			x = (x >= 'a' && x <= 'z') ? (char)(x - 'a' + 'A') : x;
			y = (y >= 'a' && y <= 'z') ? (char)(y - 'a' + 'A') : y;
		}
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* caps: the names that read the same as another input's, found once per
 * rule set by sorting (a scan of every input per field made emission
 * quadratic: 10,000 inputs took 20 s).  Emission runs on one thread; the
 * cache is keyed by the table's input array. */
static const lr_input_def *en_dup_inputs;
static uint32_t en_dup_n;
static unsigned char *en_dup_flags;
static const lr_input_def *en_sort_inputs;

/* The order of en_same_ident (upper 0): characters outside identifiers read as '_'. */
static int en_ident_cmp(const void *pa, const void *pb)
{
	const char *a = en_sort_inputs[*(const uint32_t *)pa].name, *b = en_sort_inputs[*(const uint32_t *)pb].name;
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;
		int okx = !x || (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') || x == '_';
		int oky = !y || (y >= 'a' && y <= 'z') || (y >= 'A' && y <= 'Z') || (y >= '0' && y <= '9') || y == '_';
		x = okx ? x : '_';
		y = oky ? y : '_';
		if (x != y || !x)
			return x - y;
	}
}

static int en_dup_of(const lr_ruleset *rs, uint32_t i)
{
	if (en_dup_inputs != rs->inputs || en_dup_n != rs->ninputs || !en_dup_flags) {
		uint32_t *ord = malloc(((size_t)rs->ninputs + 1) * sizeof *ord), k;
		free(en_dup_flags);
		en_dup_flags = calloc((size_t)rs->ninputs + 1, 1);
		if (!ord || !en_dup_flags)
			abort();
		for (k = 0; k < rs->ninputs; k++)
			ord[k] = k;
		en_sort_inputs = rs->inputs;
		qsort(ord, rs->ninputs, sizeof *ord, en_ident_cmp);
		for (k = 1; k < rs->ninputs; k++)
			if (en_same_ident(rs->inputs[ord[k - 1]].name, rs->inputs[ord[k]].name, 0))
				en_dup_flags[ord[k - 1]] = en_dup_flags[ord[k]] = 1;
		free(ord);
		en_dup_inputs = rs->inputs;
		en_dup_n = rs->ninputs;
	}
	return en_dup_flags[i];
}

/* Whether input i's field name must carry its index: it is not an
 * identifier as written, is a keyword, starts with a digit, or reads the
 * same as another input's name. */
static int en_field_indexed(const lr_ruleset *rs, uint32_t i)
{
	const char *s = rs->inputs[i].name;
	uint32_t k;
	if (!s[0] || (s[0] >= '0' && s[0] <= '9'))
		return 1;
	for (k = 0; k < sizeof c_keywords / sizeof c_keywords[0]; k++)
		if (strcmp(s, c_keywords[k]) == 0)
			return 1;
	if (en_dup_of(rs, i))
		return 1;
	for (k = 0; s[k]; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9') ||
		      s[k] == '_'))
			return 1;
	return 0;
}

/* The field of input i: its name, or "in<i>_<name>" when that is no
 * usable identifier. */
void en_field(FILE *f, const lr_ruleset *rs, uint32_t i, int upper)
{
	if (en_field_indexed(rs, i))
		fprintf(f, upper ? "IN%" PRIu32 "_" : "in%" PRIu32 "_", i);
	en_ident(f, rs->inputs[i].name, upper);
}

/* Whether input i's values need their indices to be distinct enumerators. */
static int en_values_indexed(const lr_input_def *in)
{
	uint32_t a, b;
	for (a = 0; a < in->nvalues; a++)
		for (b = a + 1; b < in->nvalues; b++)
			if (en_same_ident(in->values[a], in->values[b], 1))
				return 1;
	return 0;
}

static void en_enum_type(FILE *f, const lr_ruleset *rs, const char *name, uint32_t i)
{
	const lr_input_def *in = &rs->inputs[i];
	int indexed = en_values_indexed(in);
	uint32_t k;

	fputs("\n/* The values of ", f);
	en_ident(f, in->name, 0);
	fputs(", in declaration order. */\ntypedef enum {", f);
	for (k = 0; k < in->nvalues; k++) {
		fputs(k ? ",\n\t" : "\n\t", f);
		en_ident(f, name, 1);
		fputc('_', f);
		en_field(f, rs, i, 1);
		if (indexed)
			fprintf(f, "_%" PRIu32, k);
		else {
			fputc('_', f);
			en_ident(f, in->values[k], 1);
		}
		fprintf(f, " = %" PRIu32, k);
	}
	fputs("\n} ", f);
	en_ident(f, name, 0);
	fputc('_', f);
	en_field(f, rs, i, 0);
	fputs(";\n", f);
}

static void en_field_decl(FILE *f, const lr_ruleset *rs, const char *name, uint32_t i)
{
	const lr_input_def *in = &rs->inputs[i];
	fputc('\t', f);
	switch (in->type) {
	case LR_T_BOOL: fputs("int ", f); break;
	case LR_T_NUM: fputs("lr_dec ", f); break;
	case LR_T_DATE: fputs("lr_date ", f); break;
	default:
		en_ident(f, name, 0);
		fputc('_', f);
		en_field(f, rs, i, 0);
		fputc(' ', f);
		break;
	}
	en_field(f, rs, i, 0);
	fprintf(f, "; /* %" PRIu32 " */\n", i);
}

char *en_header(const lr_ruleset *rs, const char *name, int *oom)
{
	en_buf b;
	uint32_t i, words = rs->ninputs ? (rs->ninputs + 63) / 64 : 1;
	FILE *f;

	en_dup_inputs = NULL; /* caps: a fresh table each call (en_dup_of) */
	if (!en_open(&b)) {
		*oom = 1;
		return NULL;
	}
	f = b.f;
	fputs("/* ---- The typed input struct (docs/runtime.md, \"The typed API\") ----------\n"
	      "** One field per input, in the input's type (lr_dec, lr_date, int 0/1 for a\n"
	      "** boolean, an enumeration for a choice), and one presence bit per input:\n"
	      "** a field counts only when its bit is set.  Zero the struct (= {0} or\n"
	      "** memset) for a patient with nothing known, then set what is known with\n"
	      "** the _SET macro; _CLEAR forgets a value. */\n", f);
	for (i = 0; i < rs->ninputs; i++)
		if (rs->inputs[i].type == LR_T_ENUM)
			en_enum_type(f, rs, name, i);
	fprintf(f, "\n/* Input indices (lr_record and the presence bits). */\n");
	for (i = 0; i < rs->ninputs; i++) {
		fputs("#define ", f);
		en_ident(f, name, 1);
		fputs("_IN_", f);
		en_field(f, rs, i, 0); /* the field's own spelling: NAME_SET pastes it */
		fprintf(f, " %" PRIu32 "u\n", i);
	}
	fputs("#define ", f);
	en_ident(f, name, 1);
	fprintf(f, "_NINPUTS %" PRIu32 "u\n\ntypedef struct {\n\tuint64_t present[%" PRIu32 "]; /* bit i %% 64 of word i / 64: input i is known */\n",
		rs->ninputs, words);
	for (i = 0; i < rs->ninputs; i++)
		en_field_decl(f, rs, name, i);
	fputs("} ", f);
	en_ident(f, name, 0);
	fputs("_input;\n\n/* Sets a field and marks it known: NAME_SET(&in, weight_kg, w). */\n#define ", f);
	en_ident(f, name, 1);
	fputs("_SET(in, field, value) \\\n\t((in)->field = (value), \\\n\t (in)->present[", f);
	en_ident(f, name, 1);
	fputs("_IN_##field / 64u] |= UINT64_C(1) << (", f);
	en_ident(f, name, 1);
	fputs("_IN_##field % 64u))\n/* Marks a field unknown. */\n#define ", f);
	en_ident(f, name, 1);
	fputs("_CLEAR(in, field) ((in)->present[", f);
	en_ident(f, name, 1);
	fputs("_IN_##field / 64u] &= ~(UINT64_C(1) << (", f);
	en_ident(f, name, 1);
	fputs("_IN_##field % 64u)))\n\n", f);
	fputs("/* Evaluates the rules for the patient in *in into out, whose buffer\n"
	      "** (lr_decisions_init) holds at least NAME_MAX_ACTIONS decisions.  Ranges are\n"
	      "** checked once, here: LR_ERANGE rejects the patient (out->errors names the\n"
	      "** fields).  Otherwise as lr_eval: LR_OK; rule errors in out->errors;\n"
	      "** LR_EINVAL for NULL arguments or a smaller buffer.  Allocates nothing;\n"
	      "** lr_decision_action gives a decision's full lr_action. */\nint ", f);
	en_ident(f, name, 0);
	fputs("_eval(lr_decisions *out, const ", f);
	en_ident(f, name, 0);
	fputs("_input *in);\n\n/* Fills *out from an lr_record of this rule set (a bridge for code that\n"
	      "** reads patients by input index); LR_EINVAL for NULL arguments. */\nint ", f);
	en_ident(f, name, 0);
	fputs("_input_from_record(", f);
	en_ident(f, name, 0);
	fputs("_input *out, const lr_record *rec);\n\n", f);
	return en_close(&b, oom);
}

/* ---- NAME_eval ------------------------------------------------------------------- */

/* NAME_input_from_record: one input. */
static void en_from_record(FILE *f, const lr_ruleset *rs, const char *name, uint32_t i)
{
	const lr_input_def *in = &rs->inputs[i];
	fprintf(f, "\tif (rec->state[%" PRIu32 "]) {\n\t\tout->present[%" PRIu32 "] |= UINT64_C(1) << %" PRIu32 ";\n\t\t",
		i, i / 64, i % 64);
	fputs("out->", f);
	en_field(f, rs, i, 0);
	switch (in->type) {
	case LR_T_NUM: fprintf(f, ".v = rec->v[%" PRIu32 "];\n", i); break;
	case LR_T_DATE: fprintf(f, " = (lr_date)rec->v[%" PRIu32 "];\n", i); break;
	case LR_T_BOOL:
		/* Out of range stays out of range (2), for the same error. */
		fprintf(f, " = (uint64_t)rec->v[%" PRIu32 "] > 1u ? 2 : (int)rec->v[%" PRIu32 "];\n", i, i);
		break;
	default:
		fputs(" = (", f);
		en_ident(f, name, 0);
		fputc('_', f);
		en_field(f, rs, i, 0);
		fprintf(f, ")((uint64_t)rec->v[%" PRIu32 "] >= %" PRIu32 "u ? %" PRIu32 "u : (uint32_t)rec->v[%" PRIu32 "]);\n",
			i, in->nvalues, in->nvalues, i);
		break;
	}
	fputs("\t}\n", f);
}

/* NAME_eval (after "int "): NAME_eval_scratch on LR_EVAL_STACK_SCRATCH
 * bytes of the C stack, as lr_eval; ends with the next definition's "int ". */
static void en_eval_on_stack(FILE *f, const char *name)
{
	en_ident(f, name, 0);
	fputs("_eval(lr_decisions *out, const ", f);
	en_ident(f, name, 0);
	fputs("_input *in)\n{\n\tuint64_t scratch[LR_EVAL_STACK_SCRATCH / 8];\n\n\treturn ", f);
	en_ident(f, name, 0);
	fputs("_eval_scratch(out, in, scratch, sizeof scratch);\n}\n\nint ", f);
}

/* caps: NAME_eval and NAME_input_from_record of a rule set with more
 * inputs than a record holds in itself (LR_RECORD_INLINE), as data and
 * loops: one statement per input made megabytes of C that took gcc
 * minutes and gigabytes.  lr_g_fields gives each input's place in the
 * struct; the typed arrays live in the caller's scratch
 * (NAME_eval_scratch, NAME_EVAL_SCRATCH_BYTES in the header). */
static void en_entry_loop(FILE *f, const lr_ruleset *rs, const char *name, const char *symbol)
{
	uint32_t i;

	fputs("\n/* caps: the typed struct's fields, as data (emit_native.c, en_entry_loop). */\n"
	      "static const struct { uint32_t off; uint8_t size; } lr_g_fields[", f);
	fprintf(f, "%" PRIu32 "] = {\n", rs->ninputs);
	for (i = 0; i < rs->ninputs; i++) {
		fputs("\t{offsetof(", f);
		en_ident(f, name, 0);
		fputs("_input, ", f);
		en_field(f, rs, i, 0);
		fputs("), sizeof(((const ", f);
		en_ident(f, name, 0);
		fputs("_input *)0)->", f);
		en_field(f, rs, i, 0);
		fputs(")},\n", f);
	}
	fputs("};\n\n/* Field i of the struct at p, in the table's encoding. */\n"
	      "static int64_t lr_g_get(const unsigned char *p, uint32_t i)\n{\n"
	      "\tconst unsigned char *q = p + lr_g_fields[i].off;\n"
	      "\tint64_t x = 0;\n\tint32_t s = 0;\n\tuint32_t u = 0;\n\tuint16_t h = 0;\n\n"
	      "\tswitch (lr_g_fields[i].size) {\n"
	      "\tcase 8: memcpy(&x, q, 8); return x;\n"
	      "\tcase 4:\n\t\tif (lr_g_inputs[i].type == LR_T_ENUM) {\n\t\t\tmemcpy(&u, q, 4);\n\t\t\treturn (int64_t)u;\n\t\t}\n"
	      "\t\tmemcpy(&s, q, 4);\n\t\treturn s;\n"
	      "\tcase 2: memcpy(&h, q, 2); return h;\n"
	      "\tdefault: return *q;\n\t}\n}\n\n"
	      "/* Sets field i of the struct at p from a record's value. */\n"
	      "static void lr_g_put(unsigned char *p, uint32_t i, int64_t v)\n{\n"
	      "\tunsigned char *q = p + lr_g_fields[i].off;\n"
	      "\tconst lr_input_def *d = &lr_g_inputs[i];\n\tint32_t s;\n\tuint32_t u;\n\tuint16_t h;\n\tunsigned char c;\n\n"
	      "\t/* Out of range stays out of range (as the straight-line form does). */\n"
	      "\tif (d->type == LR_T_BOOL && (uint64_t)v > 1u)\n\t\tv = 2;\n"
	      "\tif (d->type == LR_T_ENUM && (uint64_t)v >= d->nvalues)\n\t\tv = d->nvalues;\n"
	      "\tswitch (lr_g_fields[i].size) {\n"
	      "\tcase 8: memcpy(q, &v, 8); break;\n"
	      "\tcase 4:\n\t\ts = (int32_t)v;\n\t\tu = (uint32_t)v;\n"
	      "\t\tmemcpy(q, d->type == LR_T_ENUM ? (const void *)&u : (const void *)&s, 4);\n\t\tbreak;\n"
	      "\tcase 2: h = (uint16_t)v; memcpy(q, &h, 2); break;\n"
	      "\tdefault: c = (unsigned char)v; memcpy(q, &c, 1); break;\n\t}\n}\n\n", f);
	fputs("int ", f);
	en_ident(f, name, 0);
	fputs("_eval_scratch(lr_decisions *out, const ", f);
	en_ident(f, name, 0);
	fputs("_input *in, void *scratch, size_t size)\n{\n", f);
	fprintf(f, "\tconst size_t n = %" PRIu32 "u, head = (n * 9 + 7) & ~(size_t)7;\n", rs->ninputs);
	fputs("\tint64_t *v = scratch;\n\tuint8_t *st;\n\tuint32_t i;\n\tint bad = 0;\n\n"
	      "\tif (!in || !scratch || ((uintptr_t)scratch & 7) != 0)\n\t\treturn LR_EINVAL;\n"
	      "\tif (size < head)\n", f);
	fprintf(f, "\t\treturn lr__nat_run_scratch(out, &%s, NULL, NULL, 0, NULL, 0); /* LR_ESCRATCH */\n", symbol);
	fputs("\tst = (uint8_t *)(v + n);\n"
	      "\tfor (i = 0; i < n; i++) {\n"
	      "\t\tst[i] = (uint8_t)((in->present[i / 64] >> (i % 64)) & 1u);\n"
	      "\t\tv[i] = lr_g_get((const unsigned char *)in, i);\n"
	      "\t\tbad |= lr__out_of_domain(&lr_g_inputs[i], v[i]) & (st[i] != 0);\n\t}\n", f);
	fprintf(f, "\treturn lr__nat_run_scratch(out, &%s, st, v, bad, (unsigned char *)scratch + head, size - head);\n}\n\n",
		symbol);
	fputs("int ", f);
	en_eval_on_stack(f, name);
	en_ident(f, name, 0);
	fputs("_input_from_record(", f);
	en_ident(f, name, 0);
	fprintf(f, "_input *out, const lr_record *rec)\n{\n\tuint32_t i;\n\n"
		   "\tif (!out || !rec || rec->rs != &%s || rec->capacity < %" PRIu32 "u)\n"
		   "\t\treturn LR_EINVAL;\n\tmemset(out, 0, sizeof *out);\n"
		   "\tfor (i = 0; i < %" PRIu32 "u; i++)\n\t\tif (rec->state[i]) {\n"
		   "\t\t\tout->present[i / 64] |= UINT64_C(1) << (i %% 64);\n"
		   "\t\t\tlr_g_put((unsigned char *)out, i, rec->v[i]);\n\t\t}\n\treturn LR_OK;\n}\n",
		symbol, rs->ninputs, rs->ninputs);
}

char *en_entry(const lr_ruleset *rs, const char *name, const char *symbol, int native, int *oom)
{
	en_buf b;
	uint32_t i;
	FILE *f;
	char *typed = NULL;

	en_dup_inputs = NULL; /* caps: a fresh table each call (en_dup_of) */
	if (rs->ninputs <= LR_RECORD_INLINE && !(typed = en_typed(rs, name, symbol, native, oom)))
		return NULL;
	if (!en_open(&b)) {
		free(typed);
		*oom = 1;
		return NULL;
	}
	f = b.f;
	if (rs->ninputs > LR_RECORD_INLINE) {
		en_entry_loop(f, rs, name, symbol);
		return en_close(&b, oom);
	}
	fputs(typed, f);
	free(typed);
	/* NAME_eval: NAME_eval_scratch on a buffer on the C stack, as lr_eval. */
	fputs("\n/* The typed entry on LR_EVAL_STACK_SCRATCH bytes of the C stack. */\nint ", f);
	en_eval_on_stack(f, name);
	en_ident(f, name, 0);
	fputs("_input_from_record(", f);
	en_ident(f, name, 0);
	fprintf(f, "_input *out, const lr_record *rec)\n{\n\tif (!out || !rec || rec->rs != &%s)\n"
		   "\t\treturn LR_EINVAL;\n\tmemset(out, 0, sizeof *out);\n", symbol);
	for (i = 0; i < rs->ninputs; i++)
		en_from_record(f, rs, name, i);
	fputs("\treturn LR_OK;\n}\n", f);
	return en_close(&b, oom);
}
