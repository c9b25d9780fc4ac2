/*
** jsonin.c: the streaming patient reader (see jsonin.h).
**
** Why a reader of our own rather than a library: a patient line is one
** flat object of known keys and scalars, and the numbers must be read
** from their text.  Debian's yajl hands a number's text to a callback but
** is unmaintained upstream since 2014 and allocates per map key; json-c
** parses into a tree of heap objects (and doubles); jansson, already used,
** forces numbers through doubles.  The grammar needed here is small enough
** to check against jansson on every input (tests/fuzz/fuzz_patient.c),
** and anything outside it goes back to jansson (JI_FALLBACK).
**
** The parser is iterative: nested values (always an error for a patient,
** but their syntax still decides whether the line is JSON) are skipped
** with an explicit stack of JI_MAX_DEPTH levels; deeper nesting falls back.
*/
#include "jsonin.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jtext.h"
#include "litrule_table.h"

#define JI_MAX_DEPTH 64    /* nested levels skipped here; deeper: jansson */
#define JI_MAX_UNKNOWN 64  /* unknown keys per line remembered for duplicates */

struct ji_reader {
	const lr_ruleset *rs;
	uint32_t *slots;       /* open addressing over input names: index + 1, 0 empty */
	size_t *namelen;       /* per input */
	uint32_t mask;
	char *scratch;         /* unescaped strings: at most the line's length */
	size_t cap;
	uint8_t *seen;         /* per input: already given on this line */
	uint64_t unknown[JI_MAX_UNKNOWN];  /* hashes of this line's unknown keys */
	int nunknown;
	int why, lenient;
};

static void init_plain(void);

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

ji_reader *ji_new(const lr_ruleset *rs, size_t maxline)
{
	ji_reader *r = calloc(1, sizeof *r);
	uint32_t size = 16, i;

	if (!r)
		return NULL;
	init_plain(); /* idempotent; readers are made before any thread starts */
	while (size < 2 * rs->ninputs + 2)
		size *= 2;
	r->rs = rs;
	r->mask = size - 1;
	r->slots = calloc(size, sizeof *r->slots);
	r->seen = calloc(rs->ninputs + 1, 1);
	r->namelen = calloc(rs->ninputs + 1, sizeof *r->namelen);
	r->cap = maxline + 1;
	r->scratch = malloc(r->cap);
	if (!r->slots || !r->seen || !r->scratch || !r->namelen) {
		ji_free(r);
		return NULL;
	}
	for (i = 0; i < rs->ninputs; i++) {
		const char *nm = rs->inputs[i].name;
		uint32_t h = (uint32_t)hash_bytes(nm, r->namelen[i] = strlen(nm)) & r->mask;
		while (r->slots[h])
			h = (h + 1) & r->mask;
		r->slots[h] = i + 1;
	}
	return r;
}

void ji_free(ji_reader *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r->seen);
	free(r->namelen);
	free(r->scratch);
	free(r);
}

int ji_why(const ji_reader *r) { return r->why; }
int ji_lenient(const ji_reader *r) { return r->lenient; }

/* The input named s[0..n), or -1. */
static long find_input(const ji_reader *r, const char *s, size_t n, uint64_t h)
{
	uint32_t k;
	for (k = (uint32_t)h & r->mask; r->slots[k]; k = (k + 1) & r->mask) {
		uint32_t i = r->slots[k] - 1;
		if (r->namelen[i] == n && memcmp(r->rs->inputs[i].name, s, n) == 0)
			return (long)i;
	}
	return -1;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int hexval(const char *p)
{
	int v = 0, k;
	for (k = 0; k < 4; k++) {
		int c = (unsigned char)p[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One \uXXXX escape (a surrogate pair whole) at p (after the backslash
 * and 'u'), as UTF-8 in o; returns the bytes consumed after "\u" (4 or
 * 10) and *olen, or 0 when not what jansson accepts. */
static size_t unicode_escape(const char *p, const char *end, char *o, size_t *olen)
{
	long hi, lo;
	if (end - p < 4 || (hi = hexval(p)) < 0 || hi == 0)
		return 0; /* \u0000: jansson refuses it (no JSON_ALLOW_NUL) */
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return 0;
	if (hi < 0xd800 || hi > 0xdbff) {
		*olen = put_utf8(o, (unsigned long)hi);
		return 4;
	}
	if (end - p < 10 || p[4] != '\\' || p[5] != 'u' || (lo = hexval(p + 6)) < 0xdc00 || lo > 0xdfff)
		return 0;
	*olen = put_utf8(o, 0x10000UL + (((unsigned long)hi - 0xd800) << 10) + ((unsigned long)lo - 0xdc00));
	return 10;
}

/* A string at p (on its opening quote).  Returns the byte after the
 * closing quote, or NULL when not a valid JSON string.  Its content is
 * *s[0..*n): in the line itself when it has no escapes, else unescaped
 * into out (at least as long as the string). */
/* Bytes a string holds as they are: not '"', '\\', a control character
 * or part of a multi-byte sequence (those need a look). */
static unsigned char plain[256];

static void init_plain(void)
{
	int c;
	for (c = 0x20; c < 0x80; c++)
		plain[c] = c != '"' && c != '\\';
}

static const char *read_string(const char *p, const char *end, char *out, const char **s, size_t *n)
{
	const char *start = ++p;
	size_t o = 0;
	int esc = 0;

	for (;;) {
		unsigned char c;
		if (!esc)
			while (p < end && plain[(unsigned char)*p])
				p++;
		if (p >= end)
			break;
		c = (unsigned char)*p;
		if (c == '"') {
			*s = esc ? out : start;
			*n = esc ? o : (size_t)(p - start);
			return p + 1;
		}
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			size_t used, ol = 1;
			if (!esc) {
				memcpy(out, start, (size_t)(p - start));
				o = (size_t)(p - start);
				esc = 1;
			}
			if (++p >= end)
				return NULL;
			switch (*p) {
			case '"': case '\\': case '/': out[o] = *p; break;
			case 'b': out[o] = '\b'; break;
			case 'f': out[o] = '\f'; break;
			case 'n': out[o] = '\n'; break;
			case 'r': out[o] = '\r'; break;
			case 't': out[o] = '\t'; break;
			case 'u':
				if (!(used = unicode_escape(p + 1, end, out + o, &ol)))
					return NULL;
				p += used;
				break;
			default: return NULL;
			}
			o += ol;
			p++;
			continue;
		}
		if (c >= 0x80) {
			size_t l = jtext_utf8_len((const unsigned char *)p, (size_t)(end - p));
			if (!l)
				return NULL;
			if (esc)
				memcpy(out + o, p, l), o += l;
			p += l;
			continue;
		}
		if (esc)
			out[o++] = (char)c;
		p++;
	}
	return NULL;
}

/* A JSON number at p: -?(0|[1-9]D*)(.D+)?([eE][+-]?D+)?; the byte after
 * it, or NULL. */
static const char *read_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		if (++p >= end || *p < '0' || *p > '9')
			return NULL;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return NULL;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

static const char *read_literal(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* A scalar at p (not an array or object); the byte after it or NULL. */
static const char *read_scalar(ji_reader *r, const char *p, const char *end, patient_value *pv)
{
	pv->kind = PV_OTHER;
	switch (*p) {
	case '"':
		pv->kind = PV_STRING;
		return read_string(p, end, r->scratch, &pv->text, &pv->len);
	case 't': pv->kind = PV_BOOL, pv->b = 1; return read_literal(p, end, "true");
	case 'f': pv->kind = PV_BOOL, pv->b = 0; return read_literal(p, end, "false");
	case 'n': pv->kind = PV_NULL; return read_literal(p, end, "null");
	default:
		pv->kind = PV_NUMBER;
		pv->text = p;
		p = read_number(p, end);
		pv->len = p ? (size_t)(p - pv->text) : 0;
		return p;
	}
}

/* Skips a nested array or object at p, checking its syntax; the byte
 * after it, or NULL (r->why says whether for syntax or depth). */
static const char *skip_nested(ji_reader *r, const char *p, const char *end)
{
	char stack[JI_MAX_DEPTH];
	int depth = 0;
	patient_value pv;

	for (;;) {
		/* p is at the start of a value */
		if (*p == '[' || *p == '{') {
			if (depth == JI_MAX_DEPTH) {
				r->why = JI_WHY_LIMIT;
				return NULL;
			}
			stack[depth++] = *p == '[' ? ']' : '}';
			p = skip_ws(p + 1, end);
			if (p < end && *p == stack[depth - 1]) {
				p++;
				depth--;
				goto closed;
			}
			if (stack[depth - 1] == ']')
				goto value;
			goto key;
		}
		if (!(p = read_scalar(r, p, end, &pv)))
			return NULL;
	closed:
		for (;;) {
			if (depth == 0)
				return p;
			p = skip_ws(p, end);
			if (p < end && *p == stack[depth - 1]) {
				p++;
				depth--;
				continue;
			}
			if (p >= end || *p != ',')
				return NULL;
			p = skip_ws(p + 1, end);
			if (stack[depth - 1] == ']')
				goto value;
			goto key;
		}
	key:
		if (p >= end || *p != '"' || !(p = read_string(p, end, r->scratch, &pv.text, &pv.len)))
			return NULL;
		p = skip_ws(p, end);
		if (p >= end || *p != ':')
			return NULL;
		p = skip_ws(p + 1, end);
	value:
		if (p >= end)
			return NULL;
	}
}

/* An unknown key: an error, unless it repeats one (a duplicate key: the
 * line falls back to jansson, which refuses it).  0, or -1 to fall back. */
static int unknown_key(ji_reader *r, const char *k, size_t n, uint64_t h, patient_errors *errs)
{
	int i;
	for (i = 0; i < r->nunknown; i++)
		if (r->unknown[i] == h)
			return -1; /* a duplicate (or a hash collision: jansson decides) */
	if (r->nunknown == JI_MAX_UNKNOWN) {
		r->why = JI_WHY_LIMIT;
		return -1;
	}
	r->unknown[r->nunknown++] = h;
	/* k has no NUL (\u0000 is refused); scratch holds the line's length. */
	if (k != r->scratch)
		memcpy(r->scratch, k, n);
	r->scratch[n] = '\0';
	patient_unknown_key(errs, r->rs, r->scratch);
	return 0;
}

/* One member "key": value at p (on the key's quote); the byte after the
 * value, or NULL to fall back. */
static const char *read_member(ji_reader *r, lr_record *rec, const char *p, const char *end, patient_errors *errs)
{
	const char *k;
	size_t kn;
	uint64_t h;
	long i;
	patient_value pv;

	if (!(p = read_string(p, end, r->scratch, &k, &kn)))
		return NULL;
	p = skip_ws(p, end);
	if (p >= end || *p != ':')
		return NULL;
	p = skip_ws(p + 1, end);
	if (p >= end)
		return NULL;
	h = hash_bytes(k, kn);
	if ((i = find_input(r, k, kn, h)) < 0) {
		if (unknown_key(r, k, kn, h, errs) != 0)
			return NULL;
		if (*p == '[' || *p == '{')
			return r->lenient = 1, skip_nested(r, p, end);
		p = read_scalar(r, p, end, &pv);
		if (pv.kind == PV_NUMBER)
			r->lenient = 1; /* perhaps beyond a double: jansson refuses the line */
		return p;
	}
	if (r->seen[i]++)
		return NULL; /* a duplicate key: jansson words it */
	if (*p == '[' || *p == '{') {
		r->lenient = 1;
		if (!(p = skip_nested(r, p, end)))
			return NULL;
		pv.kind = PV_OTHER;
	} else if (!(p = read_scalar(r, p, end, &pv))) {
		return NULL;
	}
	if (patient_set_value(rec, r->rs, (uint32_t)i, &pv, errs) != 0 && pv.kind == PV_NUMBER)
		r->lenient = 1; /* perhaps beyond a double: jansson refuses the line */
	return p;
}

int ji_read(ji_reader *r, lr_record *rec, const char *line, size_t len, patient_errors *errs)
{
	const char *p = line, *end = line + len;

	errs->n = 0;
	r->why = JI_WHY_SYNTAX;
	r->lenient = 0;
	r->nunknown = 0;
	memset(r->seen, 0, r->rs->ninputs);
	patient_record_reset(rec, r->rs);
	if (len >= r->cap) {
		r->why = JI_WHY_LIMIT;
		return JI_FALLBACK;
	}
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return JI_FALLBACK; /* not an object (valid or not): jansson words it */
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
	} else {
		for (;;) {
			if (p >= end || *p != '"' || !(p = read_member(r, rec, p, end, errs)))
				return JI_FALLBACK;
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p = skip_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == '}') {
				p++;
				break;
			}
			return JI_FALLBACK;
		}
	}
	if (skip_ws(p, end) != end)
		return JI_FALLBACK;
	r->why = JI_WHY_NONE;
	return errs->n ? JI_FIELDS : JI_OK;
}
