/*
** driver.h: the front end as one call.  Expands the paths named on the
** command line (directories are searched for *.md files, in sorted
** order so that output is deterministic), loads, parses and checks them.
*/
#ifndef LRC_DRIVER_H
#define LRC_DRIVER_H

#include "ast.h"
#include "diag.h"

typedef struct {
	arena a;
	diag_ctx diag;
	ruleset_ast rs;
	ptrvec owned_files;   /* src_file * to free */
} frontend;

/** Runs the front end; returns the number of errors (also in fe->diag). */
int fe_run(frontend *fe, int npaths, char *const *paths);
/** The front end over files a caller supplies through vfs (source.h), for
 ** example blobs of a git commit: files are the rule files' paths as vfs
 ** names them, read in the order given (no directory walk); stored source
 ** texts are read through vfs too.  vfs must outlive fe. */
int fe_run_vfs(frontend *fe, const src_vfs *vfs, size_t nfiles, const char *const *files);
/** The same over files already in memory (tests, fuzzer). */
int fe_run_memory(frontend *fe, const char *name, const char *data, size_t len);
void fe_free(frontend *fe);

#endif
