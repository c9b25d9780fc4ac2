/*
** units.c: canonical units and their algebra.  A unit is a product of
** atoms with integer exponents; the canonical text lists atoms with a
** positive exponent (sorted, joined with '·'), then '/' and those with a
** negative exponent, so "kg·years/mg" and "years·kg/mg" are one unit.
*/
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *written;
	const char *canon;
} atom_alias;

/* Atoms as they may be written, and their canonical spelling. */
static const atom_alias atoms[] = {
	{"kg", "kg"}, {"g", "g"}, {"mg", "mg"}, {"\xC2\xB5g", "\xC2\xB5g"}, {"ug", "\xC2\xB5g"},
	{"mcg", "\xC2\xB5g"}, {"ng", "ng"}, {"pg", "pg"},
	{"L", "L"}, {"dL", "dL"}, {"mL", "mL"}, {"\xC2\xB5L", "\xC2\xB5L"},
	{"mol", "mol"}, {"mmol", "mmol"}, {"\xC2\xB5mol", "\xC2\xB5mol"}, {"umol", "\xC2\xB5mol"},
	{"nmol", "nmol"}, {"pmol", "pmol"},
	{"IU", "IU"}, {"mIU", "mIU"}, {"kIU", "kIU"}, {"U", "U"}, {"mU", "mU"},
	{"s", "s"}, {"min", "min"}, {"h", "h"},
	{"m", "m"}, {"cm", "cm"}, {"mm", "mm"}, {"m2", "m2"}, {"mmHg", "mmHg"},
	{"%", "%"},
	{"day", "days"}, {"days", "days"}, {"week", "weeks"}, {"weeks", "weeks"},
	{"month", "months"}, {"months", "months"}, {"year", "years"}, {"years", "years"},
	{"dose", "doses"}, {"doses", "doses"},
};

#define MAX_ATOMS 16

typedef struct {
	const char *atom[MAX_ATOMS];
	int exp[MAX_ATOMS];
	int n;
} unit_vec;

static const char *find_atom(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < sizeof atoms / sizeof atoms[0]; i++)
		if (strlen(atoms[i].written) == n && strncmp(atoms[i].written, s, n) == 0)
			return atoms[i].canon;
	return NULL;
}

static const char *near_atom(arena *a, const char *s, size_t n)
{
	size_t i;
	/* A case slip is the usual mistake (ml for mL, mg/dl for mg/dL). */
	for (i = 0; i < sizeof atoms / sizeof atoms[0]; i++) {
		const char *w = atoms[i].written;
		size_t k;
		if (strlen(w) != n)
			continue;
		for (k = 0; k < n; k++) {
			char x = s[k], y = w[k];
			if (x >= 'A' && x <= 'Z')
				x = (char)(x - 'A' + 'a');
			if (y >= 'A' && y <= 'Z')
				y = (char)(y - 'A' + 'a');
			if (x != y)
				break;
		}
		if (k == n)
			return arena_strdup(a, w);
	}
	return NULL;
}

static void vec_add(unit_vec *v, const char *atom, int e)
{
	int i;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->atom[i], atom) == 0) {
			v->exp[i] += e;
			return;
		}
	if (v->n < MAX_ATOMS) {
		v->atom[v->n] = atom;
		v->exp[v->n++] = e;
	}
}

static int cmp_atom(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *vec_text(arena *a, const unit_vec *v)
{
	const char *num[MAX_ATOMS], *den[MAX_ATOMS];
	int nn = 0, nd = 0, i, j;
	char buf[512];
	size_t len = 0;

	for (i = 0; i < v->n; i++) {
		for (j = 0; j < (v->exp[i] > 0 ? v->exp[i] : -v->exp[i]) && j < 4; j++) {
			if (v->exp[i] > 0 && nn < MAX_ATOMS)
				num[nn++] = v->atom[i];
			else if (v->exp[i] < 0 && nd < MAX_ATOMS)
				den[nd++] = v->atom[i];
		}
	}
	qsort(num, (size_t)nn, sizeof num[0], cmp_atom);
	qsort(den, (size_t)nd, sizeof den[0], cmp_atom);
	buf[0] = '\0';
	for (i = 0; i < nn; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "\xC2\xB7" : "", num[i]);
	if (nn == 0 && nd > 0)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "1");
	for (i = 0; i < nd && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "\xC2\xB7" : "/", den[i]);
	return arena_strdup(a, buf);
}

/* Parses canonical or written text: atoms joined by '·' or '*' in the
 * numerator, each '/' starting a denominator atom (mL/min/kg). */
static int parse_vec(arena *a, const char *text, unit_vec *v, const char **bad, const char **hint)
{
	const char *p = text;
	int sign = 1;

	memset(v, 0, sizeof(*v));
	if (!*p)
		return 0;
	if (*p == '1' && p[1] == '/')
		p++;
	while (*p) {
		size_t n;
		const char *c;
		if (*p == '/') {
			sign = -1;
			p++;
			continue;
		}
		if (*p == '*') {
			p++;
			continue;
		}
		if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xB7) {
			p += 2;
			continue;
		}
		n = 0;
		while (p[n] && p[n] != '/' && p[n] != '*' &&
		       !((unsigned char)p[n] == 0xC2 && (unsigned char)p[n + 1] == 0xB7))
			n++;
		c = find_atom(p, n);
		if (!c) {
			*bad = arena_strndup(a, p, n);
			*hint = near_atom(a, p, n);
			return -1;
		}
		vec_add(v, c, sign);
		p += n;
	}
	return 0;
}

const char *unit_canon(arena *a, const char *text, const char **bad, const char **hint)
{
	unit_vec v;
	*bad = *hint = NULL;
	if (parse_vec(a, text, &v, bad, hint) < 0)
		return NULL;
	return vec_text(a, &v);
}

static const char *combine(arena *a, const char *x, const char *y, int sign)
{
	unit_vec vx, vy;
	const char *bad, *hint;
	int i;

	if (parse_vec(a, x, &vx, &bad, &hint) < 0 || parse_vec(a, y, &vy, &bad, &hint) < 0)
		return "";
	for (i = 0; i < vy.n; i++)
		vec_add(&vx, vy.atom[i], sign * vy.exp[i]);
	return vec_text(a, &vx);
}

const char *unit_mul(arena *a, const char *x, const char *y) { return combine(a, x, y, 1); }
const char *unit_div(arena *a, const char *x, const char *y) { return combine(a, x, y, -1); }

time_unit unit_time(const char *c)
{
	if (!c)
		return TIME_NONE;
	if (strcmp(c, "days") == 0)
		return TIME_DAYS;
	if (strcmp(c, "weeks") == 0)
		return TIME_WEEKS;
	if (strcmp(c, "months") == 0)
		return TIME_MONTHS;
	if (strcmp(c, "years") == 0)
		return TIME_YEARS;
	if (strcmp(c, "doses") == 0)
		return TIME_DOSES;
	return TIME_NONE;
}

/* The span of the runtime's calendar, 0001-01-01 to 9999-12-31, in each
 * unit (rounded down); doses get the days' limit (one a day throughout). */
static const struct {
	int64_t max;
	const char *text;
} count_limits[] = {
	{0, ""}, {3652058, "3,652,058"}, {521722, "521,722"}, {119987, "119,987"}, {9998, "9,998"},
	{3652058, "3,652,058"},
};

int64_t unit_max_count(time_unit u, const char **text)
{
	if (text)
		*text = count_limits[u].text;
	return count_limits[u].max;
}

const char *unit_show(const char *canon)
{
	return canon && *canon ? canon : "no unit";
}
