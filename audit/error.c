/*
** error.c: the per-thread last-error message of the audit layer.
** A fixed buffer (no allocation), so that reporting an out-of-memory
** failure cannot itself fail.
*/
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

static _Thread_local char au_msg[512];

const char *au_error_last(void)
{
	return au_msg;
}

int au_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(au_msg, sizeof au_msg, fmt, ap);
	va_end(ap);
	return code;
}

int au_error_git(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(au_msg, sizeof au_msg, fmt, ap);
	va_end(ap);
	n = strlen(au_msg);
	if (e && e->message && *e->message && n < sizeof au_msg)
		snprintf(au_msg + n, sizeof au_msg - n, ": %s", e->message);
	return code;
}
