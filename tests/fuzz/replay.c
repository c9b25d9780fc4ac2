/*
** replay.c: runs a fuzz target's LLVMFuzzerTestOneInput on files, without
** libFuzzer, so `make test` can replay the seeds and the saved crash
** reproducers with the normal compiler.  A violated invariant aborts.
**
**   fuzz_replay_pipeline [-v] FILE...
**
** -v prints how many files stopped at each stage of the pipeline.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (len == cap) {
			unsigned char *nb;
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "%s: out of memory\n", path);
				free(buf);
				fclose(f);
				return 1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, bad = 0, verbose = argc > 1 && argv[1][0] == '-' && argv[1][1] == 'v';
	for (i += verbose; i < argc; i++)
		bad |= replay_file(argv[i]);
	if (verbose)
		printf("%lu front-end errors, %lu lowering errors, %lu evaluated\n", fzp_stats[FZP_FRONTEND_ERROR],
		       fzp_stats[FZP_LOWER_ERROR], fzp_stats[FZP_EVALUATED]);
	return bad;
}
