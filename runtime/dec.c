/*
** dec.c: exact fixed-point decimals for the litrule runtime.
**
** Clinical rules compare doses, clearances and scores against thresholds
** written in decimal; binary floating point would turn "60" into
** 59.999999... and flip a rule.  So a decimal is an int64 holding
** value * 10^9.  Products and quotients need a 128-bit intermediate: we
** use the compiler's __int128 when it has one and a portable 32-bit-half
** fallback otherwise (define LR_DEC_NO_INT128 to force the fallback so
** that it is built and tested on every machine).
**
** All arithmetic is done on unsigned magnitudes plus a sign, which keeps
** INT64_MIN representable and makes signed overflow impossible.  On error
** *out is left untouched.
*/
#include "litrule.h"

#if defined(__SIZEOF_INT128__) && !defined(LR_DEC_NO_INT128)
#define LR_DEC_USE_INT128 1
__extension__ typedef unsigned __int128 lr_u128;
#endif

#define SCALE ((uint64_t)LR_DEC_SCALE)
/* Largest magnitude of a positive value, and of a negative one (|INT64_MIN|). */
#define POS_MAG ((uint64_t)INT64_MAX)
#define NEG_MAG ((uint64_t)INT64_MAX + 1u)
/* Largest integer part any text can have before it must overflow. */
#define INT_PART_MAX (NEG_MAG / SCALE)
/* Room for "-9223372036.854775808" plus NUL, with margin. */
#define FORMAT_CAP 32

/* |v| as unsigned; the unsigned negation is defined even for INT64_MIN. */
static uint64_t mag(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Rebuilds a signed value from sign and magnitude, refusing what int64 cannot hold. */
static int from_mag(lr_dec *out, int neg, uint64_t m)
{
	if (m > (neg ? NEG_MAG : POS_MAG))
		return LR_EOVERFLOW;
	if (!neg)
		out->v = (int64_t)m;
	else if (m == NEG_MAG)
		out->v = INT64_MIN;
	else
		out->v = -(int64_t)m;
	return LR_OK;
}

#ifdef LR_DEC_USE_INT128

/* hi:lo = a * b */
static void umul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	lr_u128 p = (lr_u128)a * b;

	*hi = (uint64_t)(p >> 64);
	*lo = (uint64_t)p;
}

/* (hi:lo) / d with remainder; the caller guarantees hi < d, so the quotient fits 64 bits. */
static uint64_t udiv128(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
	lr_u128 n = ((lr_u128)hi << 64) | lo;

	*rem = (uint64_t)(n % d);
	return (uint64_t)(n / d);
}

#else

/* hi:lo = a * b, schoolbook on 32-bit halves so no partial product overflows. */
static void umul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	const uint64_t m32 = 0xffffffffu;
	uint64_t a0 = a & m32, a1 = a >> 32, b0 = b & m32, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	/* At most 3 * (2^32 - 1): the carries into the high word cannot be lost. */
	uint64_t mid = (p00 >> 32) + (p01 & m32) + (p10 & m32);

	*lo = (mid << 32) | (p00 & m32);
	*hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/*
** (hi:lo) / d with remainder, one quotient bit per step.  Slow but short
** and obviously right; hi < d on entry keeps the running remainder below
** d, and the bit shifted out of hi stands for the 2^64 that the
** subtraction then removes.
*/
static uint64_t udiv128(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;
	int i;

	for (i = 0; i < 64; i++) {
		uint64_t carry = hi >> 63;

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		q <<= 1;
		if (carry || hi >= d) {
			hi -= d;
			q |= 1u;
		}
	}
	*rem = hi;
	return q;
}

#endif

/*
** Rounds the quotient q (remainder r of a division by d) half to even.
** Half-even on the magnitude is symmetric in the sign, so it is also
** half-even on the signed value.  Returns 0 if q would wrap.
*/
static int round_half_even(uint64_t *q, uint64_t r, uint64_t d)
{
	uint64_t rest = d - r; /* r < d, so no wrap; r vs rest is 2r vs d */

	if (r > rest || (r == rest && (*q & 1u))) {
		if (*q == UINT64_MAX)
			return 0;
		++*q;
	}
	return 1;
}

/* out = sign * round((hi:lo) / d); d > 0. */
static int div_round(lr_dec *out, int neg, uint64_t hi, uint64_t lo, uint64_t d)
{
	uint64_t q, r;

	if (hi >= d) /* the quotient needs more than 64 bits */
		return LR_EOVERFLOW;
	q = udiv128(hi, lo, d, &r);
	if (!round_half_even(&q, r, d))
		return LR_EOVERFLOW;
	return from_mag(out, neg, q);
}

int lr_dec_from_int(lr_dec *out, int64_t i)
{
	if (!out)
		return LR_EINVAL;
	if (i > INT64_MAX / LR_DEC_SCALE || i < INT64_MIN / LR_DEC_SCALE)
		return LR_EOVERFLOW;
	out->v = i * LR_DEC_SCALE;
	return LR_OK;
}

int lr_dec_add(lr_dec *out, lr_dec a, lr_dec b)
{
	if (!out)
		return LR_EINVAL;
	/* Each bound is computed on the side where it cannot overflow. */
	if ((b.v > 0 && a.v > INT64_MAX - b.v) || (b.v < 0 && a.v < INT64_MIN - b.v))
		return LR_EOVERFLOW;
	out->v = a.v + b.v;
	return LR_OK;
}

int lr_dec_sub(lr_dec *out, lr_dec a, lr_dec b)
{
	if (!out)
		return LR_EINVAL;
	if ((b.v < 0 && a.v > INT64_MAX + b.v) || (b.v > 0 && a.v < INT64_MIN + b.v))
		return LR_EOVERFLOW;
	out->v = a.v - b.v;
	return LR_OK;
}

/* (a / 10^9) * (b / 10^9) = (a * b / 10^9) / 10^9 */
int lr_dec_mul(lr_dec *out, lr_dec a, lr_dec b)
{
	uint64_t hi, lo;

	if (!out)
		return LR_EINVAL;
	umul64(mag(a.v), mag(b.v), &hi, &lo);
	return div_round(out, (a.v < 0) != (b.v < 0), hi, lo, SCALE);
}

/* (a / 10^9) / (b / 10^9) = (a * 10^9 / b) / 10^9 */
int lr_dec_div(lr_dec *out, lr_dec a, lr_dec b)
{
	uint64_t hi, lo;

	if (!out)
		return LR_EINVAL;
	if (b.v == 0)
		return LR_EDIVZERO;
	umul64(mag(a.v), SCALE, &hi, &lo);
	return div_round(out, (a.v < 0) != (b.v < 0), hi, lo, mag(b.v));
}

int lr_dec_cmp(lr_dec a, lr_dec b)
{
	return (a.v > b.v) - (a.v < b.v);
}

/* ---- Text ------------------------------------------------------------ */

/* The pieces of a syntactically valid decimal: -?D+(.D+)? */
struct dec_text {
	int neg;
	const char *ip; /* integer digits */
	size_t in;
	const char *fp; /* fraction digits, possibly none */
	size_t fn;
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t count_digits(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_digit(s[i]))
		i++;
	return i;
}

/* Checks the grammar only, so malformed text is EINVAL whatever its size. */
static int dec_scan(struct dec_text *t, const char *s, size_t len)
{
	size_t i;

	t->neg = len > 0 && s[0] == '-';
	i = t->neg ? 1 : 0;
	t->ip = s + i;
	t->in = count_digits(s + i, len - i);
	if (t->in == 0)
		return LR_EINVAL;
	i += t->in;
	t->fp = s + i;
	t->fn = 0;
	if (i == len)
		return LR_OK;
	if (s[i] != '.')
		return LR_EINVAL;
	i++;
	t->fp = s + i;
	t->fn = count_digits(s + i, len - i);
	if (t->fn == 0 || i + t->fn != len)
		return LR_EINVAL;
	return LR_OK;
}

/* The fraction as a count of 10^-9; digits past the ninth must be zeros. */
static int dec_frac(uint64_t *out, const struct dec_text *t)
{
	uint64_t f = 0;
	size_t k;

	for (k = 0; k < LR_DEC_FRAC_DIGITS; k++)
		f = f * 10u + (k < t->fn ? (uint64_t)(t->fp[k] - '0') : 0u);
	for (; k < t->fn; k++)
		if (t->fp[k] != '0')
			return LR_EINVAL; /* would need rounding: not exact */
	*out = f;
	return LR_OK;
}

/* The integer part; stops as soon as it cannot fit, so long text cannot wrap. */
static int dec_int(uint64_t *out, const struct dec_text *t)
{
	uint64_t n = 0;
	size_t k;

	for (k = 0; k < t->in; k++) {
		n = n * 10u + (uint64_t)(t->ip[k] - '0');
		if (n > INT_PART_MAX)
			return LR_EOVERFLOW;
	}
	*out = n;
	return LR_OK;
}

int lr_dec_parse(lr_dec *out, const char *s, size_t len)
{
	struct dec_text t;
	uint64_t ip, fp;
	int rc;

	if (!out || !s)
		return LR_EINVAL;
	if ((rc = dec_scan(&t, s, len)) != LR_OK)
		return rc;
	if ((rc = dec_frac(&fp, &t)) != LR_OK)
		return rc;
	if ((rc = dec_int(&ip, &t)) != LR_OK)
		return rc;
	/* ip <= INT_PART_MAX, so ip * 10^9 + fp < 2^64. */
	return from_mag(out, t.neg, ip * SCALE + fp);
}

/* Writes the decimal digits of u (no NUL); returns how many. */
static size_t put_uint(char *p, uint64_t u)
{
	char rev[20];
	size_t n = 0, i;

	do {
		rev[n++] = (char)('0' + u % 10u);
		u /= 10u;
	} while (u);
	for (i = 0; i < n; i++)
		p[i] = rev[n - 1 - i];
	return n;
}

/* Writes ".ddd" for a nonzero fraction f < 10^9, without trailing zeros. */
static size_t put_frac(char *p, uint64_t f)
{
	size_t n = LR_DEC_FRAC_DIGITS, i;

	while (f % 10u == 0) {
		f /= 10u;
		n--;
	}
	p[0] = '.';
	for (i = n; i > 0; i--) {
		p[i] = (char)('0' + f % 10u);
		f /= 10u;
	}
	return n + 1;
}

/* Renders d into tmp (FORMAT_CAP bytes) and returns the length. */
static size_t dec_render(char *tmp, lr_dec d)
{
	uint64_t m = mag(d.v);
	size_t len = 0;

	/* A nonzero magnitude always prints a nonzero digit, so no "-0". */
	if (d.v < 0)
		tmp[len++] = '-';
	len += put_uint(tmp + len, m / SCALE);
	if (m % SCALE)
		len += put_frac(tmp + len, m % SCALE);
	tmp[len] = '\0';
	return len;
}

size_t lr_dec_format(char *buf, size_t n, lr_dec d)
{
	char tmp[FORMAT_CAP];
	size_t len = dec_render(tmp, d), i;

	if (!buf || n == 0)
		return len;
	/* snprintf semantics: truncate, but always terminate. */
	for (i = 0; i < len && i < n - 1; i++)
		buf[i] = tmp[i];
	buf[i] = '\0';
	return len;
}
