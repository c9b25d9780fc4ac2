/*
** units.h: units of measure.  A unit is kept as canonical text built
** from atoms with exponents ("mg/dL", "mL/min", "days"), so two units are
** the same exactly when their canonical texts are equal.  There is no
** silent conversion: mixing mg/dL with mmol/L, or weeks with months, is
** an error the author must resolve.  The atoms are general units of
** measure (SI, clinical laboratory, calendar), nothing domain-specific.
*/
#ifndef LRC_UNITS_H
#define LRC_UNITS_H

#include <stdint.h>

#include "arena.h"

typedef enum { TIME_NONE, TIME_DAYS, TIME_WEEKS, TIME_MONTHS, TIME_YEARS, TIME_DOSES } time_unit;

/** Canonical form of a unit as written, or NULL if an atom is unknown;
 ** then *bad names the unknown atom and *hint a close known atom or NULL. */
const char *unit_canon(arena *a, const char *text, const char **bad, const char **hint);
const char *unit_mul(arena *a, const char *x, const char *y);
const char *unit_div(arena *a, const char *x, const char *y);
/** For a canonical unit: which calendar unit it is, if any. */
time_unit unit_time(const char *canon);
/** The largest count of u that a rule may write: the span of the
 ** runtime's calendar (years 1 to 9999) in that unit, so a date moved by
 ** it can stay in the calendar and the count fits the table's 32 bits;
 ** *text (if not NULL) is the limit written out with thousands
 ** separators.  0 for TIME_NONE. */
int64_t unit_max_count(time_unit u, const char **text);
/** "" is shown to authors as "no unit". */
const char *unit_show(const char *canon);

#endif
