/*
** cli_audit.c: `litrule audit` (write a report for a revision onto the
** chain refs/litrule/audit) and `litrule audit verify` (walk the chain
** and regenerate every report).  The facts and the bytes come from
** audit_facts.c, the chain from audit/chain.c; nothing here touches the
** working tree, the index, HEAD or a branch.  docs/audit.md documents
** the report and what each verify check proves.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "audit/chain.h"
#include "audit/report.h"
#include "audit/sigverify.h"
#include "audit_facts.h"
#include "cli.h"
#include "cli_git.h"

#define AUDIT_USAGE                                                                                  \
	"usage: litrule audit [--repo DIR] [--rev REV] [--require-review] [--sign KEYFILE]\n"        \
	"                     [--committer 'NAME <EMAIL>'] [--format text|json] [PATH]\n"            \
	"       litrule audit verify [--repo DIR] [--allowed-signers FILE] [--expect-tip OID]\n"

typedef struct {
	const char *repo, *rev, *path, *sign, *committer, *allowed, *expect_tip;
	int require_review, json;
} audit_args;

/* Options of both subcommands; verify == 1 allows only verify's.  Returns 0 or 2. */
static int parse_args(audit_args *a, int argc, char **argv, int verify)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];
		const char **slot = NULL;
		if (strcmp(s, "--repo") == 0)
			slot = &a->repo;
		else if (!verify && strcmp(s, "--rev") == 0)
			slot = &a->rev;
		else if (!verify && strcmp(s, "--sign") == 0)
			slot = &a->sign;
		else if (!verify && strcmp(s, "--committer") == 0)
			slot = &a->committer;
		else if (verify && strcmp(s, "--allowed-signers") == 0)
			slot = &a->allowed;
		else if (verify && strcmp(s, "--expect-tip") == 0)
			slot = &a->expect_tip;
		else if (!verify && strcmp(s, "--require-review") == 0) {
			a->require_review = 1;
			continue;
		} else if (!verify && strcmp(s, "--format") == 0 && i + 1 < argc &&
			   (strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1], "text") == 0)) {
			a->json = strcmp(argv[++i], "json") == 0;
			continue;
		} else if (!verify && s[0] != '-' && !a->path) {
			a->path = s;
			continue;
		} else {
			fprintf(stderr, "litrule: audit: unexpected argument '%s'\n%s", s, AUDIT_USAGE);
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "litrule: audit: %s needs a value\n%s", s, AUDIT_USAGE);
			return 2;
		}
		*slot = argv[++i];
	}
	return 0;
}

static au_repo *open_repo(const audit_args *a)
{
	au_repo *repo = NULL;

	if (au_repo_open(&repo, a->repo ? a->repo : ".") != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		return NULL;
	}
	if (au_repo_require_full_history(repo) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		au_repo_free(repo);
		return NULL;
	}
	return repo;
}

/* The rule-set path relative to the repository root: with --repo it is
 ** given that way; else it is a path from the working directory. */
static char *rule_path(au_repo *repo, const audit_args *a)
{
	char *rel = NULL, *norm = NULL;
	const char *p = a->path ? a->path : "rules";

	if (a->repo || !git_repository_workdir(au_repo_git(repo))) {
		if (au_repo_norm_path(&norm, p) != 0)
			fprintf(stderr, "litrule: error: %s\n", au_error_last());
		return norm;
	}
	if (cli_repo_relpath(&rel, repo, p) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		return NULL;
	}
	if (au_repo_norm_path(&norm, rel) != 0)
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
	free(rel);
	return norm;
}

/* ---- audit -------------------------------------------------------------- */

typedef struct {
	const cli_audit_facts_t *facts;
	char *json, *md;       /* the bytes of the attempt that landed */
	size_t jlen, mlen;
} build_ctx;

static int build_cb(au_chain_draft *d, const au_chain_report *prev, void *payload)
{
	build_ctx *b = payload;
	char msg[64];
	int rc;

	free(b->json);
	free(b->md);
	b->json = b->md = NULL;
	if ((rc = cli_audit_report(&b->json, &b->jlen, &b->md, &b->mlen, b->facts, prev)) != 0)
		return rc;
	snprintf(msg, sizeof msg, "%s%s\n", AU_REPORT_SUBJECT, b->facts->hex);
	if ((rc = au_chain_draft_add(d, AU_REPORT_JSON, b->json, b->jlen)) != 0 ||
	    (rc = au_chain_draft_add(d, AU_REPORT_MD, b->md, b->mlen)) != 0)
		return rc;
	return au_chain_draft_message(d, msg);
}

/* 1 when the tip already is this report (same audited commit, same bytes
 ** regenerated on the tip's own parent), 0 when not, -1 on error. */
static int tip_is_current(au_repo *repo, const cli_audit_facts_t *f, git_oid *tip)
{
	au_chain_report t, parent;
	const au_chain_file *tj;
	char hex[41], *json = NULL, *md = NULL;
	size_t jlen = 0, mlen = 0;
	int same = 0, have_parent = 0;

	if (au_chain_tip(tip, repo, NULL) != 0)
		return 0;
	if (au_chain_load(&t, repo, tip) != 0)
		return -1;
	if (au_report_message_commit(hex, t.message) == 0 && strcmp(hex, f->hex) == 0 &&
	    (tj = cli_audit_file(&t, AU_REPORT_JSON))) {
		if (t.nparents == 1 && au_chain_load(&parent, repo, &t.parent) == 0)
			have_parent = 1;
		if ((t.nparents == 0 || have_parent) &&
		    cli_audit_report(&json, &jlen, &md, &mlen, f, have_parent ? &parent : NULL) == 0) {
			const au_chain_file *tm = cli_audit_file(&t, AU_REPORT_MD);
			same = jlen == tj->size && memcmp(json, tj->data, jlen) == 0 && tm &&
			       mlen == tm->size && memcmp(md, tm->data, mlen) == 0;
		}
		if (have_parent)
			au_chain_report_dispose(&parent);
	}
	free(json);
	free(md);
	au_chain_report_dispose(&t);
	return same;
}

/* "Name <email>" into the options (pointers into a copy the caller frees). */
static char *set_committer(au_chain_opts *o, const char *who)
{
	char *s, *lt, *gt;

	o->committer_name = "litrule audit";
	o->committer_email = "audit@litrule.invalid";
	if (!who)
		return NULL;
	s = strdup(who);
	if (!s || !(lt = strchr(s, '<')) || !(gt = strchr(lt, '>')) || lt == s) {
		free(s);
		return NULL;
	}
	*gt = '\0';
	while (lt > s && lt[-1] == ' ')
		lt--;
	*lt = '\0';
	o->committer_name = s;
	o->committer_email = strchr(lt + 1, '<') ? strchr(lt + 1, '<') + 1 : lt + 1;
	return s;
}

static void print_unreviewed(const cli_audit_facts_t *f, const char *level)
{
	size_t i;
	const json_t *r;

	json_array_foreach(json_object_get(f->pred, "rules"), i, r) {
		const json_t *lc = json_object_get(r, "last_change");
		if (!json_is_true(json_object_get(r, "unreviewed")))
			continue;
		fprintf(stderr, "litrule: %s: rule %s (%s:%lld) is unreviewed: its last change %.12s by %s <%s>"
				" has no reviewer other than its author\n",
			level, json_string_value(json_object_get(r, "id")),
			json_string_value(json_object_get(r, "file")),
			(long long)json_integer_value(json_object_get(r, "line")),
			json_string_value(json_object_get(lc, "commit")),
			json_string_value(json_object_get(lc, "author")),
			json_string_value(json_object_get(lc, "email")));
	}
}

/* Says on stderr whether the working tree differs under the rule path:
 ** the audit read the commit, not those files. */
static int note_dirty(au_repo *repo, const char *rel, const char *hex)
{
	au_dirty d;
	int dirty = 0;

	if (au_repo_dirty(&d, repo, (const char *const *)&rel, 1) == 0) {
		dirty = d.nentries > 0;
		if (dirty)
			fprintf(stderr, "litrule: note: the working tree has uncommitted changes under '%s'"
					" (%s, ...); the audit read commit %.12s from git objects only\n",
				*rel ? rel : ".", d.entries[0].path, hex);
		au_dirty_dispose(&d);
	}
	return dirty;
}

static void print_result(const audit_args *a, const cli_audit_facts_t *f, const git_oid *rep,
			 const char *json, int written, int dirty)
{
	char hex[GIT_OID_HEXSZ + 1], digest[65];
	const json_t *p = f->pred, *ex = json_object_get(p, "examples"), *ck = json_object_get(p, "check");

	git_oid_tostr(hex, sizeof hex, rep);
	au_report_sha256(digest, json, strlen(json));
	if (a->json) {
		json_t *o = json_object();
		json_object_set_new(o, "result", json_string(written ? "written" : "unchanged"));
		json_object_set_new(o, "audited", json_string(f->hex));
		json_object_set_new(o, "report_commit", json_string(hex));
		json_object_set_new(o, "report_sha256", json_string(digest));
		json_object_set_new(o, "ref", json_string(AU_CHAIN_REF));
		json_object_set_new(o, "dirty", json_boolean(dirty));
		json_object_set_new(o, "unreviewed", json_integer((json_int_t)f->nunreviewed));
		json_object_set_new(o, "report", json_loads(json, 0, NULL));
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(o);
		return;
	}
	if (written)
		printf("audited %s (%s): report %s on %s\n", f->hex, json_string_value(json_object_get(p, "path")),
		       hex, AU_CHAIN_REF);
	else
		printf("audited %s already: the tip of %s (%s) is this report; nothing written\n", f->hex,
		       AU_CHAIN_REF, hex);
	printf("  %zu rules, %zu unreviewed; check: %lld errors, %lld warnings; examples: %lld passed, %lld failed\n",
	       json_array_size(json_object_get(p, "rules")), f->nunreviewed,
	       (long long)json_integer_value(json_object_get(ck, "errors")),
	       (long long)json_integer_value(json_object_get(ck, "warnings")),
	       (long long)json_integer_value(json_object_get(ex, "passed")),
	       (long long)json_integer_value(json_object_get(ex, "failed")));
	printf("  report.json sha256 %s\n", digest);
	if (dirty)
		printf("  (the working tree has uncommitted changes; this report covers commit %.12s only)\n", f->hex);
}

static int audit_run(const audit_args *a, au_repo *repo, const char *rel)
{
	cli_audit_facts_t f;
	git_oid commit, rep;
	au_chain_opts o;
	build_ctx b = { NULL, NULL, NULL, 0, 0 };
	char *who = NULL;
	int rc = 1, dirty, cur;

	if (au_repo_resolve(&commit, repo, a->rev) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		return 1;
	}
	if (cli_audit_facts(&f, repo, &commit, rel) != 0)
		return 1;
	dirty = note_dirty(repo, rel, f.hex);
	print_unreviewed(&f, a->require_review ? "error" : "warning");
	au_chain_opts_init(&o);
	who = set_committer(&o, a->committer);
	o.ssh_key = a->sign;
	b.facts = &f;
	if (a->require_review && f.nunreviewed) {
		fprintf(stderr, "litrule: error: --require-review: %zu unreviewed rule%s; no report written\n",
			f.nunreviewed, f.nunreviewed == 1 ? "" : "s");
	} else if (a->committer && !who) {
		fprintf(stderr, "litrule: error: --committer takes 'NAME <EMAIL>'\n");
		rc = 2;
	} else if ((cur = tip_is_current(repo, &f, &rep)) < 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
	} else if (cur) {
		const au_chain_file *tj;
		au_chain_report t;
		if (au_chain_load(&t, repo, &rep) == 0 && (tj = cli_audit_file(&t, AU_REPORT_JSON)))
			print_result(a, &f, &rep, (const char *)tj->data, 0, dirty);
		au_chain_report_dispose(&t);
		rc = 0;
	} else if (au_chain_append(&rep, repo, &o, build_cb, &b, NULL) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
	} else {
		print_result(a, &f, &rep, b.json, 1, dirty);
		rc = 0;
	}
	free(b.json);
	free(b.md);
	free(who);
	cli_audit_facts_free(&f);
	return rc;
}

/* ---- verify ------------------------------------------------------------- */

/* The signature check of one report commit. */
static int check_signature(au_repo *repo, const git_oid *id, const char *allowed)
{
	git_buf sig = { NULL, 0, 0 }, data = { NULL, 0, 0 };
	char *who = NULL;
	int rc;

	if (git_commit_extract_signature(&sig, &data, au_repo_git(repo), (git_oid *)id, NULL) != 0) {
		rc = au_error_set(AU_EINVALID, "it is not signed");
	} else {
		rc = au_sigverify(&who, allowed, sig.ptr, sig.size, data.ptr, data.size);
	}
	free(who);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	return rc;
}

/* Regenerates the report at its commit and compares bytes. */
static int check_regenerated(au_repo *repo, const json_t *st, const au_chain_report *r,
			     const au_chain_report *parent, const char *hex)
{
	const json_t *p = json_object_get(st, "predicate");
	const char *path = json_string_value(json_object_get(p, "path"));
	const char *hash = json_string_value(json_object_get(json_object_get(p, "identity"), "ruleset_hash"));
	const au_chain_file *rj = cli_audit_file(r, AU_REPORT_JSON), *rm = cli_audit_file(r, AU_REPORT_MD);
	cli_audit_facts_t f;
	git_oid commit;
	char *json = NULL, *md = NULL;
	size_t jlen = 0, mlen = 0;
	const char *now;
	int rc;

	if (!path || !hash)
		return au_error_set(AU_EINVALID, "its report.json lacks predicate.path or identity.ruleset_hash");
	if (git_oid_fromstr(&commit, hex) != 0 || au_repo_resolve(&commit, repo, hex) != 0)
		return au_error_set(AU_EINVALID, "the audited commit %s is not in the repository", hex);
	if (cli_audit_facts(&f, repo, &commit, path) != 0)
		return au_error_set(AU_EINVALID, "the rule set '%s' cannot be audited at %s", path, hex);
	now = json_string_value(json_object_get(json_object_get(f.pred, "identity"), "ruleset_hash"));
	if (!now || strcmp(now, hash) != 0) {
		rc = au_error_set(AU_EINVALID, "its ruleset_hash %.16s... does not match the rule files at %.12s (%.16s...)",
				  hash, hex, now ? now : "?");
	} else if ((rc = cli_audit_report(&json, &jlen, &md, &mlen, &f, parent)) != 0) {
		;
	} else if (jlen != rj->size || memcmp(json, rj->data, jlen) != 0) {
		rc = au_error_set(AU_EINVALID, "its report.json differs from the report regenerated from %.12s", hex);
	} else if (mlen != rm->size || memcmp(md, rm->data, mlen) != 0) {
		rc = au_error_set(AU_EINVALID, "its report.md differs from the report regenerated from %.12s", hex);
	}
	free(json);
	free(md);
	cli_audit_facts_free(&f);
	return rc;
}

/* Every check of one report (r), given the report before it (NULL for the first). */
static int check_report(au_repo *repo, const au_chain_report *r, const au_chain_report *parent,
			const char *allowed)
{
	const au_chain_file *rj = cli_audit_file(r, AU_REPORT_JSON);
	char hex[41], phex[GIT_OID_HEXSZ + 1];
	json_t *st;
	int rc;

	if (r->nparents > 1)
		return au_error_set(AU_EINVALID, "it has %u parents; reports have one", r->nparents);
	if (r->nfiles != 2 || !rj || !cli_audit_file(r, AU_REPORT_MD))
		return au_error_set(AU_EINVALID, "its tree is not exactly report.json and report.md");
	if ((rc = au_report_message_commit(hex, r->message)) != 0)
		return rc;
	if (!(st = json_loadb((const char *)rj->data, rj->size, 0, NULL)))
		return au_error_set(AU_EINVALID, "its report.json is not JSON");
	if (parent)
		git_oid_tostr(phex, sizeof phex, &parent->commit);
	rc = au_report_check_link(st, parent ? phex : NULL, parent ? cli_audit_file(parent, AU_REPORT_JSON)->data : NULL,
				  parent && cli_audit_file(parent, AU_REPORT_JSON) ? cli_audit_file(parent, AU_REPORT_JSON)->size : 0);
	if (rc == 0 && allowed)
		rc = check_signature(repo, &r->commit, allowed);
	if (rc == 0)
		rc = check_regenerated(repo, st, r, parent, hex);
	json_decref(st);
	return rc;
}

static int verify_run(const audit_args *a, au_repo *repo)
{
	au_chain_report *reps = NULL;
	size_t n = 0, i, k;
	git_oid want;
	char hex[GIT_OID_HEXSZ + 1];
	int rc = 0;

	if (au_chain_read(&reps, &n, repo, NULL) != 0) {
		fprintf(stderr, "litrule: error: %s\n", au_error_last());
		return 1;
	}
	if (n == 0) {
		fprintf(stderr, "litrule: error: no audit chain: %s does not exist (run litrule audit)\n", AU_CHAIN_REF);
		return 1;
	}
	if (a->expect_tip) {
		if (au_repo_resolve(&want, repo, a->expect_tip) != 0) {
			fprintf(stderr, "litrule: error: --expect-tip: %s\n", au_error_last());
			rc = 1;
		} else {
			for (k = 0; k < n && !git_oid_equal(&reps[k].commit, &want); k++)
				;
			if (k == n) {
				git_oid_tostr(hex, sizeof hex, &want);
				fprintf(stderr, "litrule: audit verify: the chain does not contain the expected tip %s:"
						" it was truncated or rebuilt\n", hex);
				rc = 1;
			}
		}
	}
	/* Oldest first, so the report named is the first bad one. */
	for (i = n; rc == 0 && i-- > 0;) {
		if (i == n - 1 && reps[i].nparents != 0) {
			rc = au_error_set(AU_EINVALID, "its parent cannot be read as a report");
		} else {
			rc = check_report(repo, &reps[i], i + 1 < n ? &reps[i + 1] : NULL, a->allowed);
		}
		if (rc != 0) {
			git_oid_tostr(hex, sizeof hex, &reps[i].commit);
			fprintf(stderr, "litrule: audit verify: report %zu of %zu (commit %s) is bad: %s\n", n - i, n, hex,
				au_error_last());
			rc = 1;
		}
	}
	if (rc == 0) {
		git_oid_tostr(hex, sizeof hex, &reps[0].commit);
		printf("audit verify: %zu report%s verified, tip %s%s%s\n", n, n == 1 ? "" : "s", hex,
		       a->allowed ? ", every one signed by an allowed signer" : "",
		       a->expect_tip ? ", descending from the expected tip" : "");
		if (!a->allowed && !a->expect_tip)
			printf("  (a chain rebuilt wholesale passes these checks: use --expect-tip or --allowed-signers;"
			       " see docs/audit.md)\n");
	}
	au_chain_reports_free(reps, n);
	return rc;
}

int cli_audit(int argc, char **argv)
{
	int verify = argc > 0 && strcmp(argv[0], "verify") == 0;
	audit_args a;
	au_repo *repo;
	char *rel = NULL;
	int rc;

	if (argc > 0 && (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
		fputs(AUDIT_USAGE, stdout);
		return 0;
	}
	if ((rc = parse_args(&a, argc - verify, argv + verify, verify)) != 0)
		return rc;
	git_libgit2_init();
	if (!(repo = open_repo(&a))) {
		rc = 1;
	} else if (verify) {
		rc = verify_run(&a, repo);
	} else if (!(rel = rule_path(repo, &a))) {
		rc = 1;
	} else {
		rc = audit_run(&a, repo, rel);
	}
	free(rel);
	au_repo_free(repo);
	git_libgit2_shutdown();
	return rc;
}
