/*
** fuzz_frontend.c: libFuzzer target for the front end.
**
** Feeds arbitrary bytes to fe_run_memory (scanner, parser, Markdown pass,
** semantic checks) and renders every diagnostic in both formats, since
** the caret renderer walks the source text with offsets the earlier
** stages computed.  ASan, UBSan and LeakSanitizer turn any memory error,
** undefined behaviour or leak into a crash.  Built by tests/fuzz/run.sh.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	frontend fe;
	size_t i;

	/* A sink that discards output but still runs the JSON printer. */
	if (!sink)
		sink = fopen("/dev/null", "w");
	fe_run_memory(&fe, "fuzz.md", (const char *)data, size);
	for (i = 0; i < fe.diag.items.len; i++)
		free(diag_format(fe.diag.items.items[i]));
	if (sink)
		diag_print_json(&fe.diag, sink);
	fe_free(&fe);
	return 0;
}
