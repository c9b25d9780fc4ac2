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
	LR_EFULL = -7      /* a fixed-capacity result buffer is full */
};

/** A short, static, English description of an LR_E* code. */
const char *lr_strerror(int code);

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
/** Writes YYYY-MM-DD and a NUL (11 bytes); returns 10. */
size_t lr_date_format(char *buf, size_t n, lr_date d);
/** 1 if the year is a Gregorian leap year. */
int lr_date_is_leap(int year);
/** Days in the month (1..12) of the year. */
int lr_date_days_in_month(int year, int month);

#ifdef __cplusplus
}
#endif
#endif /* LITRULE_H */
