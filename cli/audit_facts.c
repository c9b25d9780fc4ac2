/*
** audit_facts.c: the facts of an audit report (audit_facts.h).  The rule
** set is compiled from git objects at the audited commit; each rule file
** is blamed once and every rule's line span is mapped onto that blame
** (AUDIT-LIBGIT2.md §5); the reviewers are those of the commit that last
** changed the rule.  Everything recorded is a function of the repository
** at that commit, so the report regenerates byte for byte.
*/
#include "audit_facts.h"

#include <stdlib.h>
#include <string.h>

#include "audit/blame.h"
#include "audit/report.h"
#include "audit/review.h"
#include "cli_git.h"
#include "diff.h"
#include "emit_c.h"
#include "jtext.h"
#include "litrule.h"

/* Virtual paths of cli_compile_at ("/rules/x.md") back to repository paths. */
static const char *repo_path(const char *vpath)
{
	return vpath && vpath[0] == '/' ? vpath + 1 : (vpath ? vpath : "");
}

static json_t *str_or_null(const char *s)
{
	return s ? jtext_string(s) : json_null();
}

/* SHA-256 of the generated C.  The table names rule files and source texts
 * by path: here by repository-relative ones, as `litrule build rules -o DIR`
 * run from the root of a clean checkout of the commit names them, so the
 * digest is that of the file such a build writes. */
static void c_digest(char out[65], const lr_ruleset *rs, const char *symbol, const char *const *files,
		     size_t nfiles)
{
	lr_ruleset copy = *rs;
	lr_rule_def *rules = malloc((rs->nrules + 1) * sizeof(*rules));
	lr_source_def *srcs = malloc((rs->nsources + 1) * sizeof(*srcs));
	char *csrc = NULL, *hsrc = NULL;
	size_t clen = 0, hlen = 0, i;
	const char *why = NULL;

	strcpy(out, "");
	if (rules && srcs) {
		for (i = 0; i < rs->nrules; i++) {
			rules[i] = rs->rules[i];
			rules[i].file = rs->rules[i].file ? repo_path(rs->rules[i].file) : NULL;
		}
		for (i = 0; i < rs->nsources; i++) {
			srcs[i] = rs->sources[i];
			srcs[i].text_path = rs->sources[i].text_path ? repo_path(rs->sources[i].text_path) : NULL;
		}
		copy.rules = rules;
		copy.sources = srcs;
		if (emit_c_memory(&csrc, &clen, &hsrc, &hlen, &copy, rs->name, symbol, files, nfiles, &why) == 0)
			au_report_sha256(out, csrc, clen);
	}
	free(csrc);
	free(hsrc);
	free(rules);
	free(srcs);
}

static json_t *identity(const compiled *c, au_repo *repo, const git_oid *commit, const char *hex)
{
	json_t *id = json_object();
	git_commit *gc = NULL;
	char tree[GIT_OID_HEXSZ + 1] = "", digest[65] = "", ver[32];
	const char *name = c->lw.rs.name;
	char *symbol = malloc(strlen(name) + 16);
	int v = lr_version();

	if (git_commit_lookup(&gc, au_repo_git(repo), commit) == 0)
		git_oid_tostr(tree, sizeof tree, git_commit_tree_id(gc));
	git_commit_free(gc);
	/* The same arguments as `litrule build`, so the digest is that of the
	 * file `litrule build` writes from a clean checkout of this commit. */
	if (symbol) {
		sprintf(symbol, "lr_ruleset_%s", name);
		c_digest(digest, &c->lw.rs, symbol, c->id.files, c->id.nfiles);
	}
	free(symbol);
	snprintf(ver, sizeof ver, "%d.%d.%d", v >> 16, (v >> 8) & 0xff, v & 0xff);
	json_object_set_new(id, "commit", json_string(hex));
	json_object_set_new(id, "tree", json_string(tree));
	json_object_set_new(id, "ruleset_hash", json_string(c->id.hash));
	json_object_set_new(id, "c_sha256", *digest ? json_string(digest) : json_null());
	json_object_set_new(id, "toolchain", json_string(ver));
	json_object_set_new(id, "name", str_or_null(name));
	json_object_set_new(id, "version", str_or_null(c->lw.rs.version));
	return id;
}

static json_t *check_json(const compiled *c)
{
	static const char *const sev[] = { "error", "warning", "note" };
	json_t *o = json_object(), *list = json_array();
	size_t i;

	for (i = 0; i < c->fe.diag.items.len; i++) {
		const diag *g = c->fe.diag.items.items[i];
		json_t *d = json_object();
		json_object_set_new(d, "file", jtext_string(g->file ? repo_path(g->file->path) : ""));
		json_object_set_new(d, "line", json_integer(g->line));
		json_object_set_new(d, "column", json_integer(g->col));
		json_object_set_new(d, "severity", json_string(sev[g->sev]));
		json_object_set_new(d, "id", jtext_string(g->id ? g->id : ""));
		json_object_set_new(d, "message", jtext_string(g->msg ? g->msg : ""));
		json_array_append_new(list, d);
	}
	json_object_set_new(o, "errors", json_integer(c->fe.diag.nerrors));
	json_object_set_new(o, "warnings", json_integer(c->fe.diag.nwarnings));
	json_object_set_new(o, "diagnostics", list);
	return o;
}

static json_t *examples_json(const compiled *c)
{
	cli_examples ex;
	json_t *o = json_object(), *list = json_array(), *unc = json_array();
	size_t i;

	if (cli_run_examples(&ex, c, NULL) != 0) {
		json_decref(list);
		json_decref(unc);
		json_decref(o);
		return NULL;
	}
	for (i = 0; i < ex.nresults; i++) {
		const decl *d = ex.results[i].example;
		json_t *r = json_object();
		uint32_t line = 0, col = 0;
		if (d->file)
			src_position(d->file, d->loc.start, &line, &col);
		json_object_set_new(r, "name", jtext_string(d->id.name));
		json_object_set_new(r, "file", jtext_string(d->file ? repo_path(d->file->path) : ""));
		json_object_set_new(r, "line", json_integer(line));
		json_object_set_new(r, "passed", json_boolean(ex.results[i].failures == 0));
		json_array_append_new(list, r);
	}
	for (i = 0; i < c->lw.rs.nrules; i++)
		if (!ex.covered[i])
			json_array_append_new(unc, jtext_string(c->lw.rs.rules[i].id));
	json_object_set_new(o, "passed", json_integer(ex.passed));
	json_object_set_new(o, "failed", json_integer(ex.failed));
	json_object_set_new(o, "uncovered", unc);
	json_object_set_new(o, "results", list);
	return o;
}

/* ---- rules: blame and review -------------------------------------------- */

typedef struct {
	const char *path;     /* repository path */
	au_blame *blame;
} blamed;

typedef struct {
	au_repo *repo;
	const git_oid *commit;
	blamed *files;
	size_t nfiles;
} blame_cache;

/* The blame of one rule file, made once per file and revision. */
static au_blame *blame_of(blame_cache *bc, const char *path)
{
	size_t i;
	blamed *nf;

	for (i = 0; i < bc->nfiles; i++)
		if (strcmp(bc->files[i].path, path) == 0)
			return bc->files[i].blame;
	if (!(nf = realloc(bc->files, (bc->nfiles + 1) * sizeof(*nf))))
		return NULL;
	bc->files = nf;
	nf[bc->nfiles].path = path;
	if (au_blame_file(&nf[bc->nfiles].blame, bc->repo, bc->commit, path) != 0)
		return NULL;
	return bc->files[bc->nfiles++].blame;
}

static json_t *change_json(const au_change *ch)
{
	json_t *o = json_object();
	char hex[GIT_OID_HEXSZ + 1], date[32];

	git_oid_tostr(hex, sizeof hex, &ch->id);
	au_report_date(date, ch->author_time, ch->author_offset);
	json_object_set_new(o, "commit", json_string(hex));
	json_object_set_new(o, "author", jtext_string(ch->author_name ? ch->author_name : ""));
	json_object_set_new(o, "email", jtext_string(ch->author_email ? ch->author_email : ""));
	json_object_set_new(o, "date", json_string(date));
	json_object_set_new(o, "subject", jtext_string(ch->subject ? ch->subject : ""));
	return o;
}

/* SHA-256 of the rule's lines as compiled (the front end's copy of the file). */
static void text_digest(char out[65], const compiled *c, const lr_rule_def *r)
{
	size_t i;

	strcpy(out, "");
	for (i = 0; i < c->fe.owned_files.len; i++) {
		const src_file *f = c->fe.owned_files.items[i];
		uint32_t a, b;
		if (strcmp(f->path, r->file) != 0 || r->line < 1 || r->end_line < r->line || r->end_line > f->nlines)
			continue;
		a = f->line_start[r->line - 1];
		b = r->end_line < f->nlines ? f->line_start[r->end_line] : f->len;
		au_report_sha256(out, f->text + a, b - a);
		return;
	}
}

static int authorship(json_t *o, blame_cache *bc, const lr_rule_def *r, size_t *nunrev)
{
	au_blame *bl = blame_of(bc, repo_path(r->file));
	au_blame_span sp;
	au_review rv;
	json_t *commits = json_array(), *revs = json_array();
	size_t i;
	int unrev;

	if (!bl || au_blame_span_get(&sp, bl, r->line, r->end_line) != 0) {
		json_decref(commits);
		json_decref(revs);
		return -1;
	}
	for (i = 0; i < sp.nchanges; i++)
		json_array_append_new(commits, change_json(&sp.changes[i]));
	if (au_review_get(&rv, bc->repo, &sp.changes[0].id) != 0) {
		au_blame_span_dispose(&sp);
		json_decref(commits);
		json_decref(revs);
		return -1;
	}
	for (i = 0; i < rv.nreviewers; i++)
		json_array_append_new(revs, jtext_string(rv.reviewers[i]));
	unrev = au_review_is_unreviewed(&rv);
	*nunrev += (size_t)unrev;
	json_object_set_new(o, "last_change", change_json(&sp.changes[0]));
	json_object_set_new(o, "commits", commits);
	json_object_set_new(o, "reviewers", revs);
	json_object_set_new(o, "unreviewed", json_boolean(unrev));
	au_review_dispose(&rv);
	au_blame_span_dispose(&sp);
	return 0;
}

static json_t *rules_json(const compiled *c, blame_cache *bc, size_t *nunrev)
{
	const lr_ruleset *rs = &c->lw.rs;
	json_t *list = json_array();
	uint32_t i, k;

	for (i = 0; i < rs->nrules; i++) {
		const lr_rule_def *r = &rs->rules[i];
		json_t *o = json_object(), *cites = json_array();
		char digest[65];
		for (k = 0; k < r->ncites; k++) {
			const lr_citation *ct = &rs->citations[r->first_cite + k];
			json_t *x = json_object();
			json_object_set_new(x, "source", jtext_string(ct->source ? ct->source : ""));
			json_object_set_new(x, "locator", jtext_string(ct->locator ? ct->locator : ""));
			json_object_set_new(x, "quote", jtext_string(ct->quote ? ct->quote : ""));
			json_array_append_new(cites, x);
		}
		text_digest(digest, c, r);
		json_object_set_new(o, "id", jtext_string(r->id));
		json_object_set_new(o, "title", jtext_string(r->title ? r->title : ""));
		json_object_set_new(o, "file", jtext_string(repo_path(r->file)));
		json_object_set_new(o, "line", json_integer(r->line));
		json_object_set_new(o, "end_line", json_integer(r->end_line));
		json_object_set_new(o, "headings", jtext_string(r->headings ? r->headings : ""));
		json_object_set_new(o, "text_sha256", json_string(digest));
		json_object_set_new(o, "citations", cites);
		json_array_append_new(list, o);
		if (authorship(o, bc, r, nunrev) != 0) {
			fprintf(stderr, "litrule: error: blame of rule %s (%s:%u-%u): %s\n", r->id,
				repo_path(r->file), r->line, r->end_line, au_error_last());
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

static json_t *subjects_json(const json_t *id)
{
	json_t *s = json_array(), *a = json_object(), *b = json_object(), *d;
	const char *name = json_string_value(json_object_get(id, "name"));
	char *cname = malloc(strlen(name ? name : "") + 3);

	d = json_object();
	json_object_set_new(d, "sha256", json_deep_copy(json_object_get(id, "ruleset_hash")));
	json_object_set_new(a, "name", jtext_string(name ? name : ""));
	json_object_set_new(a, "digest", d);
	json_array_append_new(s, a);
	if (cname && json_is_string(json_object_get(id, "c_sha256"))) {
		sprintf(cname, "%s.c", name ? name : "");
		d = json_object();
		json_object_set_new(d, "sha256", json_deep_copy(json_object_get(id, "c_sha256")));
		json_object_set_new(b, "name", jtext_string(cname));
		json_object_set_new(b, "digest", d);
		json_array_append_new(s, b);
	} else {
		json_decref(b);
	}
	free(cname);
	return s;
}

static json_t *files_json(const compiled *c)
{
	json_t *list = json_array();
	const char *root = repo_path(c->id.root);
	size_t i;

	for (i = 0; i < c->id.nfiles; i++) {
		char *p = malloc(strlen(root) + strlen(c->id.files[i]) + 2);
		if (!p)
			break;
		sprintf(p, "%s%s%s", root, *root ? "/" : "", c->id.files[i]);
		json_array_append_new(list, jtext_string(p));
		free(p);
	}
	return list;
}

int cli_audit_facts(cli_audit_facts_t *f, au_repo *repo, const git_oid *commit, const char *relpath)
{
	compiled *c = calloc(1, sizeof *c);
	fe_opts o;
	blame_cache bc = { repo, commit, NULL, 0 };
	json_t *id, *ex, *rules = NULL;
	size_t i;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	memset(&o, 0, sizeof o);
	git_oid_tostr(f->hex, sizeof f->hex, commit);
	f->repo = repo;
	if (!c) {
		fprintf(stderr, "litrule: error: out of memory\n");
		return -1;
	}
	if (cli_compile_at(c, &o, repo, commit, relpath) != 0) {
		fprintf(stderr, "litrule: error: the rule set '%s' does not compile at %.12s\n",
			*relpath ? relpath : ".", f->hex);
		cli_compiled_free(c);
		free(c);
		return -1;
	}
	id = identity(c, repo, commit, f->hex);
	ex = examples_json(c);
	if (ex)
		rules = rules_json(c, &bc, &f->nunreviewed);
	if (ex && rules) {
		f->pred = json_object();
		json_object_set_new(f->pred, "identity", id);
		json_object_set_new(f->pred, "path", jtext_string(relpath));
		json_object_set_new(f->pred, "files", files_json(c));
		json_object_set_new(f->pred, "check", check_json(c));
		json_object_set_new(f->pred, "examples", ex);
		json_object_set_new(f->pred, "rules", rules);
		f->subjects = subjects_json(id);
		rc = 0;
	} else {
		if (!ex)
			fprintf(stderr, "litrule: error: out of memory running the examples\n");
		json_decref(id);
		json_decref(ex);
	}
	for (i = 0; i < bc.nfiles; i++)
		au_blame_free(bc.files[i].blame);
	free(bc.files);
	if (rc == 0) {
		f->cur = c; /* kept: the change section diffs against it */
	} else {
		cli_compiled_free(c);
		free(c);
	}
	return rc;
}

void cli_audit_facts_free(cli_audit_facts_t *f)
{
	if (!f)
		return;
	json_decref(f->pred);
	json_decref(f->subjects);
	cli_compiled_free(f->cur);
	free(f->cur);
	f->pred = f->subjects = NULL;
	f->cur = NULL;
}

const au_chain_file *cli_audit_file(const au_chain_report *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->nfiles; i++)
		if (strcmp(r->files[i].name, name) == 0)
			return &r->files[i];
	return NULL;
}

/* The previous report's statement, or NULL with a message. */
static json_t *prev_statement(const au_chain_report *prev)
{
	const au_chain_file *pj = cli_audit_file(prev, AU_REPORT_JSON);
	char hex[GIT_OID_HEXSZ + 1];
	json_t *st = pj ? json_loadb((const char *)pj->data, pj->size, 0, NULL) : NULL;

	git_oid_tostr(hex, sizeof hex, &prev->commit);
	if (!st || !json_is_object(json_object_get(st, "predicate"))) {
		json_decref(st);
		au_error_set(AU_EINVALID, "the audit chain's report %s holds no litrule report.json"
			     " (see litrule audit verify)", hex);
		return NULL;
	}
	return st;
}

/* "outcomes" of the change section: the semantic diff (cli/diff.h, with
 * its default corpus and seed, so a regenerated report is identical) from
 * the rule set of the previous report, at its commit and path, to this
 * one.  A string saying why when it cannot be computed. */
static json_t *outcomes_json(const cli_audit_facts_t *f, const json_t *prev_pred)
{
	const json_t *pid = json_object_get(prev_pred, "identity");
	const char *phex = json_string_value(json_object_get(pid, "commit"));
	const char *ppath = json_string_value(json_object_get(prev_pred, "path"));
	compiled a;
	fe_opts o;
	git_oid pc;
	cli_diff d;
	cli_diff_opts dopts = {CLI_DIFF_DEFAULT_PATIENTS, 0};
	json_t *out = NULL, *all;

	memset(&o, 0, sizeof o);
	if (!phex || !ppath || git_oid_fromstr(&pc, phex) != 0)
		return json_string("not computed: the previous report names no commit and path");
	if (cli_compile_at(&a, &o, f->repo, &pc, ppath) != 0) {
		cli_compiled_free(&a);
		return json_string("not computed: the previous report's rule set does not compile at its commit");
	}
	if (cli_diff_compute(&d, &a, f->cur, &dopts) == 0 && (all = cli_diff_json(&d)) != NULL) {
		out = json_incref(json_object_get(all, "outcomes"));
		json_decref(all);
	}
	cli_diff_free(&d);
	cli_compiled_free(&a);
	return out;
}

int cli_audit_report(char **json, size_t *jlen, char **md, size_t *mlen, const cli_audit_facts_t *f,
		     const au_chain_report *prev)
{
	json_t *st, *pred, *link, *pst = NULL, *changes;
	const au_chain_file *pj = cli_audit_file(prev, AU_REPORT_JSON);
	char hex[GIT_OID_HEXSZ + 1], digest[65];

	*json = *md = NULL;
	if (prev && !(pst = prev_statement(prev)))
		return AU_EINVALID;
	link = json_object();
	if (prev) {
		git_oid_tostr(hex, sizeof hex, &prev->commit);
		au_report_sha256(digest, pj->data, pj->size);
		json_object_set_new(link, "report_sha256", json_string(digest));
		json_object_set_new(link, "commit", json_string(hex));
	} else {
		json_object_set_new(link, "report_sha256", json_null());
		json_object_set_new(link, "commit", json_null());
	}
	changes = au_report_changes(pst ? json_object_get(pst, "predicate") : NULL,
				    json_object_get(f->pred, "rules"));
	if (changes && pst) {
		json_t *oc = outcomes_json(f, json_object_get(pst, "predicate"));
		if (!oc) {
			json_decref(changes);
			changes = NULL; /* out of memory, reported below */
		} else {
			json_object_set_new(changes, "outcomes", oc);
		}
	}
	json_decref(pst);
	/* The predicate's members in a fixed order (documented in docs/audit.md). */
	pred = json_object();
	json_object_set(pred, "identity", json_object_get(f->pred, "identity"));
	json_object_set(pred, "path", json_object_get(f->pred, "path"));
	json_object_set(pred, "files", json_object_get(f->pred, "files"));
	json_object_set_new(pred, "previous", link);
	json_object_set(pred, "check", json_object_get(f->pred, "check"));
	json_object_set(pred, "examples", json_object_get(f->pred, "examples"));
	json_object_set_new(pred, "changes", changes ? changes : json_null());
	json_object_set(pred, "rules", json_object_get(f->pred, "rules"));
	st = json_object();
	json_object_set_new(st, "_type", json_string(AU_REPORT_TYPE));
	json_object_set(st, "subject", f->subjects);
	json_object_set_new(st, "predicateType", json_string(AU_REPORT_PREDICATE));
	json_object_set_new(st, "predicate", pred);
	*json = au_report_dump(st, jlen);
	*md = au_report_markdown(st, mlen);
	json_decref(st);
	if (!*json || !*md || !changes) {
		free(*json);
		free(*md);
		*json = *md = NULL;
		return au_error_set(AU_ERROR, "out of memory");
	}
	return 0;
}
