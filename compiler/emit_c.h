/*
** emit_c.h: the C code generator.  Prints a lowered rule set as a C
** source file of static const data plus one exported lr_ruleset object,
** and a header declaring it.  Output is deterministic (no timestamps,
** stable order) and written atomically (temporary file, then rename).
*/
#ifndef LRC_EMIT_C_H
#define LRC_EMIT_C_H

#include "litrule_table.h"

/** Writes DIR/BASE.c and DIR/BASE.h defining `const lr_ruleset SYMBOL`.
 ** files lists the rule files (for the banner).  Returns 0, or -1 with a
 ** message in *why (static or strerror text); on failure neither output
 ** file is left half-written. */
int emit_c(const lr_ruleset *rs, const char *dir, const char *base, const char *symbol,
	   const char *const *files, size_t nfiles, const char **why);

/** 1 if s is a C identifier (a rule set's name becomes lr_ruleset_NAME). */
int emit_c_is_identifier(const char *s);

/** The same text in memory: *c_out and *h_out receive malloc'd buffers
 ** (NUL-terminated; the caller frees both) and their lengths.  Returns 0,
 ** or -1 with *why set and nothing to free.  Used by the fuzzer. */
int emit_c_memory(char **c_out, size_t *c_len, char **h_out, size_t *h_len, const lr_ruleset *rs,
		  const char *base, const char *symbol, const char *const *files, size_t nfiles,
		  const char **why);

#endif
