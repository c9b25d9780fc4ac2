/*
** headertest.c: the public headers must stand on their own.
**
** An integrator includes litrule.h first and alone; generated tables and
** table tools include litrule_table.h alone.  Each must compile without
** any other include before it, under strict C11 and as C++ (both carry
** extern "C" guards), so this file includes exactly one of them:
**
**   cc -std=c11 -Wall -Wextra -Werror -pedantic -Iruntime/include -c headertest.c
**   cc ... -DHEADERTEST_TABLE -c headertest.c          (litrule_table.h)
**   c++ -x c++ -std=c++11 -Wall -Wextra -Werror -pedantic ... -c headertest.c
**
** The body touches the types and constants each header promises, so a
** header that declares them only by accident of another include fails.
** Nothing here runs: compiling (and linking, when done) is the test.
*/
#ifdef HEADERTEST_TABLE
#include "litrule_table.h"
#else
#include "litrule.h"
#endif

int headertest_use(const lr_ruleset *rs);

int headertest_use(const lr_ruleset *rs)
{
	lr_dec d;
	lr_date day;
	uint32_t i = 0;
	/* Types of litrule.h; sizes only, as a caller declaring them on the stack would. */
	int n = (int)(sizeof(lr_record) + sizeof(lr_result) + sizeof(lr_action) + sizeof(lr_citation) +
		      sizeof(lr_missing) + sizeof(lr_error));
	n += lr_dec_from_int(&d, 60) + lr_date_from_ymd(&day, 2024, 2, 29);
	n += LR_RECORD_INLINE + LR_MISSING_INLINE + LR_ESCRATCH + LR_MAX_ERRORS + LR_OK + LR_EVERSION + LR_VERSION_NUMBER;
	n += (int)lr_ruleset_max_actions(rs) + lr_result_init(NULL, NULL, 0);
	if (rs && lr_record_find(&i, rs, "age", 3) == LR_OK)
		n += (int)i;
#ifdef HEADERTEST_TABLE
	/* litrule_table.h completes lr_ruleset and describes its layout. */
	n += (int)(sizeof(lr_ruleset) + sizeof(lr_insn) + sizeof(lr_rule_def) + sizeof(lr_row_def) +
		   sizeof(lr_phase_def) + sizeof(lr_schedule_def) + sizeof(lr_source_def) +
		   sizeof(lr_action_def) + sizeof(lr_table_def) + sizeof(lr_let_def) + sizeof(lr_input_def));
	n += LR_OP__COUNT + LR_VERB__COUNT + LR_T_ENUM + LR_U_NONE + LR_TABLE_FORMAT + LR_MAX_STACK;
	if (rs)
		n += (int)rs->magic;
#endif
	return n;
}
