/*
** date.c: civil dates for the litrule runtime.
**
** Rules reason about ages, intervals and "within 3 months of" windows, so
** a date is a plain day count (days since 1970-01-01, proleptic
** Gregorian): differences and day arithmetic are then integer arithmetic.
** Conversions use Howard Hinnant's days_from_civil / civil_from_days
** (http://howardhinnant.github.io/date_algorithms.html), which are exact
** for every year and need no tables.  Valid years are 1..9999 so that
** every date prints as YYYY-MM-DD.  On error *out is left untouched.
*/
#include "litrule_table.h"

#define DATE_MIN (-719162)  /* 0001-01-01 */
#define DATE_MAX 2932896    /* 9999-12-31 */
#define YEAR_MIN 1
#define YEAR_MAX 9999
#define DAYS_PER_ERA 146097 /* one 400-year Gregorian cycle */
#define EPOCH_SHIFT 719468  /* days from 0000-03-01 to 1970-01-01 */

static int in_range(int64_t d)
{
	return d >= DATE_MIN && d <= DATE_MAX;
}

/* Hinnant's civil_from_days (the inverse of days_from_civil below), for
 * any day number.  Years start on March 1st so the leap day is the last
 * day of the (shifted) year and month lengths follow the 153-day
 * five-month pattern. */
static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += EPOCH_SHIFT;
	era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
	doe = z - era * DAYS_PER_ERA;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/*
** Hinnant's days_from_civil and civil_from_days for valid dates only
** (years 1..9999), in unsigned 32-bit arithmetic: every intermediate is
** non-negative and far below 2^32 there, so the divisions by constants become multiplications
** and the era needs no sign fix-up.  Month addition runs them on every
** call, so this is the hot path; the int64 civil_from_days above stays
** for lr_date_to_ymd on day numbers outside the valid years.  Day
** numbers here count from 0000-03-01 (EPOCH_SHIFT).
*/
static inline uint32_t days_from_civil_u(uint32_t y, uint32_t m, uint32_t d)
{
	uint32_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * DAYS_PER_ERA + doe;
}

static inline void civil_from_days_u(uint32_t z, uint32_t *y, uint32_t *m, uint32_t *d)
{
	uint32_t era, doe, yoe, doy, mp;

	era = z / DAYS_PER_ERA;
	doe = z - era * DAYS_PER_ERA;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int lr_date_is_leap(int year)
{
	return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int lr_date_days_in_month(int year, int month)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return len[month - 1] + (month == 2 && lr_date_is_leap(year));
}

int lr_date_from_ymd(lr_date *out, int year, int month, int day)
{
	if (!out)
		return LR_EINVAL;
	if (year < YEAR_MIN || year > YEAR_MAX)
		return LR_ERANGE;
	if (day < 1 || day > lr_date_days_in_month(year, month))
		return LR_EINVAL; /* also catches a bad month: its length is 0 */
	*out = (lr_date)((int32_t)days_from_civil_u((uint32_t)year, (uint32_t)month, (uint32_t)day) - EPOCH_SHIFT);
	return LR_OK;
}

void lr_date_to_ymd(lr_date d, int *year, int *month, int *day)
{
	int64_t y, m, dd;

	if (in_range(d)) {
		uint32_t uy, um, ud;
		civil_from_days_u((uint32_t)(d + EPOCH_SHIFT), &uy, &um, &ud);
		y = uy;
		m = um;
		dd = ud;
	} else {
		/* Any int32 day number lies within a few million years: fits int. */
		civil_from_days(d, &y, &m, &dd);
	}
	if (year)
		*year = (int)y;
	if (month)
		*month = (int)m;
	if (day)
		*day = (int)dd;
}

/* Value of n ASCII digits, or -1 if any byte is not a digit. */
static int parse_digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int lr_date_parse(lr_date *out, const char *s, size_t len)
{
	int y, m, d;

	if (!out || !s || len != 10 || s[4] != '-' || s[7] != '-')
		return LR_EINVAL;
	y = parse_digits(s, 4);
	m = parse_digits(s + 5, 2);
	d = parse_digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return LR_EINVAL;
	/* Year 0000 is an impossible date in this text form, not a range issue. */
	return lr_date_from_ymd(out, y, m, d) == LR_OK ? LR_OK : LR_EINVAL;
}

int lr_date_add_days(lr_date *out, lr_date d, int64_t days)
{
	if (!out)
		return LR_EINVAL;
	/* Bounding days first keeps d + days far from int64 overflow. */
	if (!in_range(d) || days > DATE_MAX - DATE_MIN || days < DATE_MIN - DATE_MAX)
		return LR_ERANGE;
	if (!in_range(d + days))
		return LR_ERANGE;
	*out = (lr_date)(d + days);
	return LR_OK;
}

/*
** One step from the original date: counting months from year 0 makes the
** target a single division, and only the final day is clamped, so
** 2024-01-31 + 2 months is 2024-03-31, not 2024-03-29.
*/
int lr_date_add_months(lr_date *out, lr_date d, int64_t months)
{
	static const uint8_t len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const int64_t span = (int64_t)(YEAR_MAX - YEAR_MIN + 1) * 12;
	uint32_t y, m, day, dim;
	int32_t total;

	if (!out)
		return LR_EINVAL;
	if (!in_range(d) || months > span || months < -span)
		return LR_ERANGE;
	civil_from_days_u((uint32_t)(d + EPOCH_SHIFT), &y, &m, &day);
	/* |months| <= span and y <= 9999: all of it fits an int32. */
	total = (int32_t)(y * 12 + (m - 1)) + (int32_t)months;
	if (total < YEAR_MIN * 12 || total >= (YEAR_MAX + 1) * 12)
		return LR_ERANGE;
	y = (uint32_t)total / 12;
	m = (uint32_t)total % 12 + 1;
	dim = len[m - 1] + (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
	if (day > dim)
		day = dim;
	*out = (lr_date)((int32_t)days_from_civil_u(y, m, day) - EPOCH_SHIFT);
	return LR_OK;
}

/*
** Months from a to b: the whole months between their months, less one when
** b's day falls before a's day clamped into b's month (a + n months would
** pass b).  From b before a, minus the count the other way, so the answer
** is antisymmetric and "from a to a + n months" is n for every n.
*/
int32_t lr_date_months_between(lr_date a, lr_date b)
{
	int ya, ma, da, yb, mb, db, dim;
	int32_t n;

	if (b < a)
		return -lr_date_months_between(b, a);
	lr_date_to_ymd(a, &ya, &ma, &da);
	lr_date_to_ymd(b, &yb, &mb, &db);
	n = (int32_t)((yb - ya) * 12 + (mb - ma));
	dim = lr_date_days_in_month(yb, mb);
	if (db < (da < dim ? da : dim))
		n--;
	return n;
}

int lr_date_day_of_month(lr_date d)
{
	int day;
	lr_date_to_ymd(d, NULL, NULL, &day);
	return day;
}

/* Writes v as exactly n digits, zero padded. */
static void put_digits(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

size_t lr_date_format(char *buf, size_t n, lr_date d)
{
	char tmp[11] = "0000-00-00";
	size_t i;
	int y, m, day;

	/* Outside years 1..9999 there is no YYYY-MM-DD: write the null date, which parse rejects. */
	if (in_range(d)) {
		lr_date_to_ymd(d, &y, &m, &day);
		put_digits(tmp, y, 4);
		put_digits(tmp + 5, m, 2);
		put_digits(tmp + 8, day, 2);
	}
	if (!buf || n == 0)
		return 10;
	for (i = 0; i < 10 && i < n - 1; i++)
		buf[i] = tmp[i];
	buf[i] = '\0';
	return 10;
}

int lr_date_add_span(lr_date *out, lr_date d, int64_t n, lr_time_unit u)
{
	switch (u) {
	case LR_U_DAYS: return lr_date_add_days(out, d, n);
	case LR_U_WEEKS: return lr_date_add_days(out, d, n * 7);
	case LR_U_MONTHS: return lr_date_add_months(out, d, n);
	case LR_U_YEARS: return lr_date_add_months(out, d, n * 12);
	default: return LR_EINVAL;
	}
}
