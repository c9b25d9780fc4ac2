/*
** fuzz_pipeline.c: libFuzzer target for the whole pipeline.
**
** Any bytes, as a rule file of up to 1 MB (run.sh sets -max_len), go
** through the front end, lowering, C generation in memory and the
** evaluation of several patients (tests/fuzz/pipeline.c), which checks
** the results against the API's invariants.  The existing targets stop
** at the front end; this one reaches the stages behind it.
*/
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fzp_run((const char *)data, size, NULL, NULL);
	return 0;
}
