/*
** error.h: error codes and the last error message of the audit layer
** (audit/).  Every au_* function that can fail returns 0 or one of the
** negative AU_E* codes below and, on failure, leaves a one-line message
** for the user in au_error_last(), already phrased for a person (what
** went wrong and, where there is one, what to do about it).  The message
** is per thread and is overwritten by the next failure.
*/
#ifndef AU_ERROR_H
#define AU_ERROR_H

typedef enum {
	AU_OK = 0,
	AU_ERROR = -1,       /* anything else (libgit2 or I/O failure) */
	AU_ENOTREPO = -2,    /* the path is not inside a git repository */
	AU_EUNSUPPORTED = -3,/* e.g. a SHA-256 repository */
	AU_EOWNER = -4,      /* repository owned by another user */
	AU_ESHALLOW = -5,    /* a shallow clone where full history is needed */
	AU_EUNBORN = -6,     /* HEAD names a branch without commits */
	AU_EBADREV = -7,     /* unknown revision, or not a commit */
	AU_ENOTFOUND = -8,   /* a path absent at that commit */
	AU_EINVALID = -9,    /* a bad argument (path, line range, name) */
	AU_ECONFLICT = -10   /* the chain ref kept moving; gave up */
} au_code;

/* The message of the last failure in this thread ("" when none). */
const char *au_error_last(void);

/* Records a message (printf format) and returns `code`, so that a
** failing function can `return au_error_set(AU_EINVALID, "...", ...)`. */
int au_error_set(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Like au_error_set, with libgit2's own last message appended after
** ": " when libgit2 has one (for failures we have nothing better to say
** about). */
int au_error_git(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif
