/*
** util.c: version and error text for the litrule runtime.
**
** Hosts log failures; a static string per code lets them do so without
** the runtime printing or allocating anything itself.
*/
#include "litrule.h"
#include "litrule_vm.h"

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
	case LR_ESCRATCH:
		return "the scratch buffer is smaller than the rule set needs (lr_scratch_size; use lr_eval_scratch)";
	default:
		return "unknown error";
	}
}

/* ORDER LR_VERB (litrule_table.h); the evaluator indexes it directly. */
const char *const lr__verb_names[LR_VERB__COUNT] = {"recommend", "dose", "hold", "defer",
						    "order", "monitor", "refer", "alert"};

const char *lr_verb_name(int verb)
{
	if (verb < 0 || verb >= LR_VERB__COUNT)
		return lr__verb_names[0];
	return lr__verb_names[verb];
}
