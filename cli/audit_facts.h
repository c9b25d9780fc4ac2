/*
** audit_facts.h: what an audit report says about one revision, gathered
** from git objects (cli_audit_facts), and the report's bytes given the
** report before it in the chain (cli_audit_report).  `litrule audit`
** writes what these produce and `litrule audit verify` regenerates it
** through the very same two calls, so a report that differs from its
** regeneration by one byte was edited.
*/
#ifndef LRC_AUDIT_FACTS_H
#define LRC_AUDIT_FACTS_H

#include <stdio.h>

#include <jansson.h>

#include "audit/chain.h"
#include "audit/repo.h"
#include "cli_common.h"

typedef struct {
	json_t *pred;        /* predicate members that depend on the revision only */
	json_t *subjects;    /* the in-toto subjects */
	char hex[41];        /* the audited commit */
	size_t nunreviewed;
	au_repo *repo;       /* borrowed: for the outcome changes against the previous report */
	compiled *cur;       /* the rule set at this revision (owned), diffed against the previous one */
} cli_audit_facts_t;

/** Compiles the rule set at relpath (repository-relative, normalised) as
 ** of commit and gathers identity, check, examples and per-rule blame and
 ** review.  Diagnostics go to stderr.  Returns 0, or -1 after printing a
 ** one-line error.  Release with cli_audit_facts_free. */
int cli_audit_facts(cli_audit_facts_t *f, au_repo *repo, const git_oid *commit, const char *relpath);
void cli_audit_facts_free(cli_audit_facts_t *f);

/** The report's two files given the previous report (NULL for the first
 ** of a chain): report.json (an in-toto Statement) and report.md.  Both
 ** malloc'd.  Returns 0, or AU_EINVALID when prev holds no litrule report
 ** (message in au_error_last()), AU_ERROR when out of memory. */
int cli_audit_report(char **json, size_t *jlen, char **md, size_t *mlen, const cli_audit_facts_t *f,
		     const au_chain_report *prev);

/** The bytes of the file `name` of a report, or NULL. */
const au_chain_file *cli_audit_file(const au_chain_report *r, const char *name);

#endif
