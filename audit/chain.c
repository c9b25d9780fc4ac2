/*
** chain.c: appending reports to refs/litrule/audit by compare-and-swap,
** and reading the chain back (see chain.h).
*/
#include "chain.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sshsig.h"

struct au_chain_draft {
	au_chain_file *files;
	size_t nfiles, cap;
	char *message;
};

static char *dup_mem(const void *data, size_t size)
{
	char *d = malloc(size + 1);

	if (d) {
		if (size)
			memcpy(d, data, size);
		d[size] = '\0';
	}
	return d;
}

void au_chain_opts_init(au_chain_opts *opts)
{
	memset(opts, 0, sizeof *opts);
}

/* ---- drafts ----------------------------------------------------------- */

int au_chain_draft_add(au_chain_draft *d, const char *name, const void *data,
		       size_t size)
{
	au_chain_file *f;
	size_t i;

	if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || strcmp(name, ".git") == 0)
		return au_error_set(AU_EINVALID, "'%s' is not a valid report file name",
				    name ? name : "");
	for (i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i].name, name) == 0)
			return au_error_set(AU_EINVALID,
					    "report file '%s' added twice", name);
	if (d->nfiles == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 4;
		au_chain_file *n = realloc(d->files, cap * sizeof *n);

		if (!n)
			return au_error_set(AU_ERROR, "out of memory");
		d->files = n;
		d->cap = cap;
	}
	f = &d->files[d->nfiles];
	f->name = dup_mem(name, strlen(name));
	f->data = (unsigned char *)dup_mem(data, size);
	f->size = size;
	if (!f->name || !f->data) {
		free(f->name);
		free(f->data);
		return au_error_set(AU_ERROR, "out of memory");
	}
	d->nfiles++;
	return 0;
}

int au_chain_draft_message(au_chain_draft *d, const char *message)
{
	size_t n = strlen(message);
	int lf = n > 0 && message[n - 1] == '\n';
	char *m = malloc(n + 2);

	if (!m)
		return au_error_set(AU_ERROR, "out of memory");
	memcpy(m, message, n);
	if (!lf)
		m[n++] = '\n';
	m[n] = '\0';
	free(d->message);
	d->message = m;
	return 0;
}

static void draft_dispose(au_chain_draft *d)
{
	size_t i;

	for (i = 0; i < d->nfiles; i++) {
		free(d->files[i].name);
		free(d->files[i].data);
	}
	free(d->files);
	free(d->message);
	memset(d, 0, sizeof *d);
}

/* ---- reading ---------------------------------------------------------- */

void au_chain_report_dispose(au_chain_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i].name);
		free(r->files[i].data);
	}
	free(r->files);
	free(r->message);
	memset(r, 0, sizeof *r);
}

static int load_files(au_chain_report *r, git_repository *g, git_tree *t)
{
	size_t i, n = git_tree_entrycount(t);
	char hex[13];

	r->files = n ? calloc(n, sizeof *r->files) : NULL;
	if (n && !r->files)
		return au_error_set(AU_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		git_blob *b = NULL;

		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
			return au_error_set(AU_EINVALID,
					    "audit report %s holds '%s', which is not a file",
					    git_oid_tostr(hex, sizeof hex, &r->commit),
					    git_tree_entry_name(e));
		if (git_blob_lookup(&b, g, git_tree_entry_id(e)) < 0)
			return au_error_git(AU_ERROR, "cannot read '%s' of report %s",
					    git_tree_entry_name(e),
					    git_oid_tostr(hex, sizeof hex, &r->commit));
		r->files[i].size = (size_t)git_blob_rawsize(b);
		r->files[i].data = (unsigned char *)dup_mem(git_blob_rawcontent(b),
							   r->files[i].size);
		r->files[i].name = dup_mem(git_tree_entry_name(e),
					   strlen(git_tree_entry_name(e)));
		git_blob_free(b);
		r->nfiles++;
		if (!r->files[i].data || !r->files[i].name)
			return au_error_set(AU_ERROR, "out of memory");
	}
	return 0;
}

int au_chain_load(au_chain_report *out, au_repo *repo, const git_oid *commit)
{
	git_repository *g = au_repo_git(repo);
	git_commit *c = NULL;
	git_tree *t = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	memset(out, 0, sizeof *out);
	out->commit = *commit;
	/* A ref force-moved to a blob or tree gives GIT_ENOTFOUND here. */
	if (git_commit_lookup(&c, g, commit) < 0)
		return au_error_set(AU_EBADREV,
				    "audit report %s is not a commit (corrupted or "
				    "force-moved audit ref?)",
				    git_oid_tostr(hex, sizeof hex, commit));
	out->nparents = git_commit_parentcount(c);
	if (out->nparents)
		out->parent = *git_commit_parent_id(c, 0);
	out->time = (int64_t)git_commit_time(c);
	out->message = dup_mem(git_commit_message(c), strlen(git_commit_message(c)));
	if (!out->message)
		rc = au_error_set(AU_ERROR, "out of memory");
	else if (git_commit_tree(&t, c) < 0)
		rc = au_error_git(AU_ERROR, "cannot read the tree of report %s",
				  git_oid_tostr(hex, sizeof hex, commit));
	else
		rc = load_files(out, g, t);
	git_tree_free(t);
	git_commit_free(c);
	if (rc < 0)
		au_chain_report_dispose(out);
	return rc;
}

int au_chain_tip(git_oid *out, au_repo *repo, const char *ref)
{
	int rc;

	if (!ref)
		ref = AU_CHAIN_REF;
	rc = git_reference_name_to_id(out, au_repo_git(repo), ref);
	if (rc == GIT_ENOTFOUND)
		return au_error_set(AU_ENOTFOUND, "no audit reports yet (%s)", ref);
	if (rc < 0)
		return au_error_git(AU_ERROR, "cannot read %s", ref);
	return 0;
}

void au_chain_reports_free(au_chain_report *reports, size_t count)
{
	size_t i;

	for (i = 0; reports && i < count; i++)
		au_chain_report_dispose(&reports[i]);
	free(reports);
}

int au_chain_read(au_chain_report **out, size_t *count, au_repo *repo,
		  const char *ref)
{
	au_chain_report *r = NULL;
	size_t n = 0, cap = 0;
	git_oid at;
	int rc;

	*out = NULL;
	*count = 0;
	rc = au_chain_tip(&at, repo, ref);
	if (rc == AU_ENOTFOUND)
		return 0;
	for (; rc == 0; at = r[n - 1].parent) {
		if (n == cap) {
			au_chain_report *nr;

			cap = cap ? 2 * cap : 16;
			nr = realloc(r, cap * sizeof *nr);
			if (!nr) {
				rc = au_error_set(AU_ERROR, "out of memory");
				break;
			}
			r = nr;
		}
		if ((rc = au_chain_load(&r[n], repo, &at)) < 0)
			break;
		if (r[n++].nparents == 0)
			break;
	}
	if (rc < 0) {
		au_chain_reports_free(r, n);
		return rc;
	}
	*out = r;
	*count = n;
	return 0;
}

/* ---- writing ---------------------------------------------------------- */

/* The commit time: SOURCE_DATE_EPOCH (reproducible builds' convention)
** when set, else the caller's, else now (UTC). */
static int commit_time(git_time_t *t, int *offset, const au_chain_opts *o)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (sde && *sde) {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno || *end || v < 0)
			return au_error_set(AU_EINVALID,
					    "SOURCE_DATE_EPOCH='%s' is not a number of seconds", sde);
		*t = (git_time_t)v;
		*offset = 0;
	} else if (o->have_time) {
		*t = (git_time_t)o->time;
		*offset = o->offset;
	} else {
		*t = (git_time_t)time(NULL);
		*offset = 0;
	}
	return 0;
}

static int write_tree(git_tree **out, git_repository *g, const au_chain_draft *d)
{
	git_treebuilder *tb = NULL;
	git_oid blob, tree;
	size_t i;
	int rc = 0;

	/* NULL base: the tree holds this report only. */
	if (git_treebuilder_new(&tb, g, NULL) < 0)
		return au_error_git(AU_ERROR, "cannot build the report tree");
	for (i = 0; i < d->nfiles && rc == 0; i++) {
		if (git_blob_create_from_buffer(&blob, g, d->files[i].data,
						d->files[i].size) < 0 ||
		    git_treebuilder_insert(NULL, tb, d->files[i].name, &blob,
					   GIT_FILEMODE_BLOB) < 0)
			rc = au_error_git(AU_ERROR, "cannot store report file '%s'",
					  d->files[i].name);
	}
	if (rc == 0 && (git_treebuilder_write(&tree, tb) < 0 ||
			git_tree_lookup(out, g, &tree) < 0))
		rc = au_error_git(AU_ERROR, "cannot write the report tree");
	git_treebuilder_free(tb);
	return rc;
}

/* Writes the commit object only (update_ref NULL: the ref is moved by
** the caller's compare-and-swap, §2), signed when opts->ssh_key. */
static int write_commit(git_oid *out, git_repository *g, const au_chain_opts *o,
			const git_signature *sig, const char *msg,
			const git_tree *tree, const git_commit *parent)
{
	const git_commit *parents[1];
	git_buf buf = { 0 };
	char *armored = NULL;
	size_t n = 0;
	int rc;

	if (parent)
		parents[n++] = parent;
	if (!o->ssh_key) {
		if (git_commit_create(out, g, NULL, sig, sig, NULL, msg, tree, n,
				      parents) < 0)
			return au_error_git(AU_ERROR, "cannot write the report commit");
		return 0;
	}
	if (git_commit_create_buffer(&buf, g, sig, sig, NULL, msg, tree, n,
				     parents) < 0)
		return au_error_git(AU_ERROR, "cannot build the report commit");
	rc = au_sshsig_sign(&armored, o->ssh_key, buf.ptr, buf.size);
	if (rc == 0 && git_commit_create_with_signature(out, g, buf.ptr, armored,
							 NULL) < 0)
		rc = au_error_git(AU_ERROR, "cannot write the signed report commit");
	free(armored);
	git_buf_dispose(&buf);
	return rc;
}

typedef struct {
	au_repo *repo;
	git_repository *g;
	const au_chain_opts *o;
	const char *ref;
	const git_signature *sig;
	au_chain_build_cb build;
	void *payload;
} append_ctx;

/* Builds the report on `prev` (NULL: first report) and writes its
** objects: blobs, tree, commit.  Nothing refers to them yet. */
static int build_commit(git_oid *out, append_ctx *a, const au_chain_report *prev)
{
	au_chain_draft d;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	int rc;

	memset(&d, 0, sizeof d);
	rc = a->build(&d, prev, a->payload);
	if (rc > 0)
		rc = au_error_set(AU_EINVALID, "the report builder returned %d", rc);
	if (rc == 0 && !d.message)
		rc = au_chain_draft_message(&d, "litrule audit report");
	if (rc == 0 && prev && git_commit_lookup(&parent, a->g, &prev->commit) < 0)
		rc = au_error_git(AU_ERROR, "cannot read the previous report");
	if (rc == 0)
		rc = write_tree(&tree, a->g, &d);
	if (rc == 0)
		rc = write_commit(out, a->g, a->o, a->sig, d.message, tree, parent);
	git_tree_free(tree);
	git_commit_free(parent);
	draft_dispose(&d);
	return rc;
}

/* One attempt: read the tip, build the report on it and try to swap the
** ref from that tip to the new commit.  Returns a negative au_code (or
** the callback's code) on failure; otherwise 0 with *race 0 when the
** report landed, or the libgit2 code of a lost race (GIT_EMODIFIED,
** GIT_ELOCKED, GIT_EEXISTS: §2).  The race code travels apart from the
** return value because a callback's code may equal one of them. */
static int append_once(git_oid *out, append_ctx *a, int *race)
{
	au_chain_report prev;
	git_reference *ref = NULL;
	git_oid tip;
	int have_prev, rc;

	*race = 0;
	rc = git_reference_name_to_id(&tip, a->g, a->ref);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		return au_error_git(AU_ERROR, "cannot read %s", a->ref);
	have_prev = rc == 0;
	if (have_prev && (rc = au_chain_load(&prev, a->repo, &tip)) < 0)
		return rc;
	rc = build_commit(out, a, have_prev ? &prev : NULL);
	if (have_prev)
		au_chain_report_dispose(&prev);
	if (rc < 0)
		return rc;
	/* force=1 with the expected old value is the compare-and-swap
	** (force=0 fails on any existing ref).  The first report expects the
	** all-zero id, which libgit2 checks under the ref's lock as "must
	** not exist".  git_reference_create(force=0) is NOT safe here: in
	** 1.5.1 it tests for existence before taking the lock, so two first
	** reports racing both "succeed" and one is overwritten (seen in
	** test_two_processes: 39 of 40 reports). */
	if (!have_prev)
		memset(&tip, 0, sizeof tip);
	rc = git_reference_create_matching(&ref, a->g, a->ref, out, 1, &tip,
					   have_prev ? "litrule audit: report"
						     : "litrule audit: first report");
	git_reference_free(ref);
	if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED || rc == GIT_EEXISTS) {
		*race = rc;
		return 0;
	}
	if (rc < 0)
		return au_error_git(AU_ERROR, "cannot move %s", a->ref);
	return 0;
}

/* 1-3 ms, varied by process so that two writers fall out of step. */
static void backoff(unsigned attempt)
{
	struct timespec ts;

	ts.tv_sec = 0;
	ts.tv_nsec = (long)(1 + ((unsigned)getpid() + attempt) % 3) * 1000000L;
	nanosleep(&ts, NULL);
}

static int append_loop(git_oid *out, append_ctx *a, au_chain_stats *st)
{
	unsigned max = a->o->max_attempts ? a->o->max_attempts : 200;
	unsigned i;
	int rc, race = 0;

	for (i = 1; i <= max; i++) {
		st->attempts++;
		if ((rc = append_once(out, a, &race)) < 0)
			return rc;
		if (race == 0)
			return 0;
		if (race == GIT_EMODIFIED)
			st->emodified++;
		else if (race == GIT_EEXISTS)
			st->eexists++;
		else {
			st->elocked++;
			backoff(i);
		}
	}
	if (race == GIT_ELOCKED)
		/* a lock that never goes away is usually a crashed writer's */
		return au_error_set(AU_ECONFLICT,
				    "%s stayed locked for %u attempts; if no other audit "
				    "is running, remove %s%s.lock",
				    a->ref, max, git_repository_commondir(a->g), a->ref);
	return au_error_set(AU_ECONFLICT,
			    "%s kept moving under concurrent writers: gave up after "
			    "%u attempts", a->ref, max);
}

int au_chain_append(git_oid *out, au_repo *repo, const au_chain_opts *opts,
		    au_chain_build_cb build, void *payload, au_chain_stats *stats)
{
	au_chain_stats local;
	git_signature *sig = NULL;
	append_ctx a;
	git_time_t t = 0;
	int offset = 0, rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	if (!build)
		return au_error_set(AU_EINVALID, "no report builder given");
	if (!opts || !opts->committer_name || !*opts->committer_name ||
	    !opts->committer_email || !*opts->committer_email)
		return au_error_set(AU_EINVALID,
				    "an audit report needs a committer name and e-mail");
	if ((rc = commit_time(&t, &offset, opts)) < 0)
		return rc;
	if (git_signature_new(&sig, opts->committer_name, opts->committer_email,
			      t, offset) < 0)
		return au_error_git(AU_EINVALID, "invalid committer identity");
	memset(&a, 0, sizeof a);
	a.repo = repo;
	a.g = au_repo_git(repo);
	a.o = opts;
	a.ref = opts->ref ? opts->ref : AU_CHAIN_REF;
	a.sig = sig;
	a.build = build;
	a.payload = payload;
	/* The reflog must exist before the first update for it to be logged
	** (refs under refs/litrule get none by default); the identity in it is the
	** committer's, not whatever user.name says. */
	if (git_reference_ensure_log(a.g, a.ref) < 0 ||
	    git_repository_set_ident(a.g, opts->committer_name,
				     opts->committer_email) < 0)
		rc = au_error_git(AU_ERROR, "cannot create the reflog of %s", a.ref);
	else
		rc = append_loop(out, &a, stats);
	git_repository_set_ident(a.g, NULL, NULL);
	git_signature_free(sig);
	return rc;
}
