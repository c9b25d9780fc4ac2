/*
** util.c: version and error text for the litrule runtime.
**
** Hosts log failures; a static string per code lets them do so without
** the runtime printing or allocating anything itself.
*/
#include "litrule.h"

int lr_version(void)
{
	return LR_VERSION_NUMBER;
}

const char *lr_strerror(int code)
{
	switch (code) {
	case LR_OK:
		return "success";
	case LR_ERROR:
		return "generic failure";
	case LR_EOVERFLOW:
		return "decimal result out of range";
	case LR_EDIVZERO:
		return "division by zero";
	case LR_EINVAL:
		return "invalid argument";
	case LR_ERANGE:
		return "value out of range";
	case LR_EVERSION:
		return "rule table built for another runtime format";
	case LR_EFULL:
		return "result buffer full";
	default:
		return "unknown error";
	}
}

const char *lr_verb_name(int verb)
{
	/* ORDER LR_VERB (litrule_table.h) */
	static const char *const names[] = {"recommend", "dose", "hold", "defer",
					    "order", "monitor", "refer", "alert"};
	if (verb < 0 || verb >= (int)(sizeof names / sizeof names[0]))
		return "recommend";
	return names[verb];
}
