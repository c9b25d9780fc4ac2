/*
** repo.c: opening the repository, resolving revisions, reading rule
** files from git objects and the dirty-tree check (see repo.h).
** libgit2 1.5.1's failures are translated into one-line messages; the
** facts behind each translation are in shared/design/AUDIT-LIBGIT2.md
** (section 8: repository states, section 7: reading at a revision).
*/
#include "repo.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct au_repo {
	git_repository *git;
};

/* ---- opening ---------------------------------------------------------- */

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "";
}

/* 1.5.1 reports a repository owned by another user as -3 "config value
** 'safe.directory' was not found" when no safe.directory is set (and as
** GIT_EOWNER otherwise), so the message is what identifies it. */
static int open_owner_error(const char *path)
{
	git_buf gitdir = { 0 };
	char *where = NULL;
	int rc;

	/* discover does not check ownership: use it to name the exact
	** directory to trust (the work tree, or the git dir when bare). */
	if (git_repository_discover(&gitdir, path, 0, NULL) == 0 && gitdir.ptr) {
		size_t n = strlen(gitdir.ptr);

		while (n > 1 && gitdir.ptr[n - 1] == '/')
			n--;
		if (n > 5 && strncmp(gitdir.ptr + n - 5, "/.git", 5) == 0)
			n -= 5;
		where = malloc(n + 1);
		if (where) {
			memcpy(where, gitdir.ptr, n);
			where[n] = '\0';
		}
	}
	rc = au_error_set(AU_EOWNER,
			  "the repository at '%s' is owned by another user; if you "
			  "trust it, run: git config --global --add safe.directory %s "
			  "(this libgit2 ignores safe.directory=*)",
			  where ? where : path, where ? where : path);
	free(where);
	git_buf_dispose(&gitdir);
	return rc;
}

static int open_error(int rc, const char *path)
{
	const char *m = git_msg();
	struct stat st;

	if (stat(path, &st) != 0)
		return au_error_set(AU_ENOTREPO, "'%s' does not exist", path);
	if (rc == GIT_EOWNER || strstr(m, "safe.directory"))
		return open_owner_error(path);
	if (strstr(m, "objectformat"))
		return au_error_set(AU_EUNSUPPORTED,
				    "the repository at '%s' uses SHA-256 object names "
				    "(extensions.objectformat), which this libgit2 cannot read",
				    path);
	if (rc == GIT_ENOTFOUND)
		return au_error_set(AU_ENOTREPO,
				    "'%s' is not inside a git repository", path);
	return au_error_git(AU_ERROR, "cannot open the repository at '%s'", path);
}

/* A SHA-256 repository is recognised from its config before opening it:
** libgit2 1.5.1 leaks about 100 KB (pcre2 match data) when
** git_repository_open_ext fails on an unknown extension. */
static int sha256_error(const char *path)
{
	git_buf gitdir = { 0 }, fmt = { 0 };
	git_config *cfg = NULL;
	char *cfgpath = NULL;
	int rc = 0;

	if (git_repository_discover(&gitdir, path, 0, NULL) == 0 && gitdir.ptr) {
		size_t n = strlen(gitdir.ptr);

		cfgpath = malloc(n + 8);
		if (cfgpath) {
			memcpy(cfgpath, gitdir.ptr, n);
			strcpy(cfgpath + n, n && gitdir.ptr[n - 1] == '/' ? "config" : "/config");
		}
	}
	if (cfgpath && git_config_open_ondisk(&cfg, cfgpath) == 0 &&
	    git_config_get_string_buf(&fmt, cfg, "extensions.objectformat") == 0 &&
	    strcmp(fmt.ptr, "sha1") != 0)
		rc = au_error_set(AU_EUNSUPPORTED,
				  "the repository at '%s' uses %s object names "
				  "(extensions.objectformat), which this libgit2 cannot read",
				  path, strcmp(fmt.ptr, "sha256") == 0 ? "SHA-256" : fmt.ptr);
	git_buf_dispose(&fmt);
	git_config_free(cfg);
	free(cfgpath);
	git_buf_dispose(&gitdir);
	git_error_clear();
	return rc;
}

int au_repo_open(au_repo **out, const char *path)
{
	git_repository *g = NULL;
	int rc;

	*out = NULL;
	if (!path || !*path)
		path = ".";
	if ((rc = sha256_error(path)) < 0)
		return rc;
	git_error_clear();
	rc = git_repository_open_ext(&g, path, 0, NULL);
	if (rc < 0)
		return open_error(rc, path);
	*out = calloc(1, sizeof **out);
	if (!*out) {
		git_repository_free(g);
		return au_error_set(AU_ERROR, "out of memory");
	}
	(*out)->git = g;
	return 0;
}

void au_repo_free(au_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo);
}

git_repository *au_repo_git(au_repo *repo)
{
	return repo->git;
}

int au_repo_is_shallow(au_repo *repo)
{
	return git_repository_is_shallow(repo->git) == 1;
}

int au_repo_require_full_history(au_repo *repo)
{
	if (au_repo_is_shallow(repo))
		return au_error_set(AU_ESHALLOW,
				    "this is a shallow clone; audit needs full history "
				    "(git fetch --unshallow)");
	return 0;
}

/* ---- revisions -------------------------------------------------------- */

static int unborn_error(git_repository *g)
{
	git_reference *head = NULL;
	const char *target = NULL;
	int rc;

	if (git_reference_lookup(&head, g, "HEAD") == 0)
		target = git_reference_symbolic_target(head);
	if (target && strncmp(target, "refs/heads/", 11) == 0)
		target += 11;
	rc = au_error_set(AU_EUNBORN,
			  "branch '%s' has no commits yet (unborn branch); commit the "
			  "rule files first",
			  target ? target : "HEAD");
	git_reference_free(head);
	return rc;
}

int au_repo_resolve(git_oid *out, au_repo *repo, const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	if (!rev)
		rev = "HEAD";
	git_error_clear();
	rc = git_revparse_single(&obj, repo->git, rev);
	if (rc < 0) {
		if (git_repository_head_unborn(repo->git) == 1)
			return unborn_error(repo->git);
		return au_error_set(AU_EBADREV, "unknown revision '%s'", rev);
	}
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return au_error_set(AU_EBADREV,
				    "revision '%s' does not name a commit", rev);
	git_oid_cpy(out, git_object_id(peeled));
	git_object_free(peeled);
	return 0;
}

/* ---- paths ------------------------------------------------------------ */

int au_repo_norm_path(char **out, const char *path)
{
	size_t n = strlen(path), i = 0, o = 0;
	char *p;

	*out = NULL;
	if (path[0] == '/')
		return au_error_set(AU_EINVALID,
				    "'%s': give a path relative to the repository root", path);
	p = malloc(n + 1);
	if (!p)
		return au_error_set(AU_ERROR, "out of memory");
	while (i < n) {
		size_t len = strcspn(path + i, "/");

		if (len == 2 && strncmp(path + i, "..", 2) == 0) {
			free(p);
			return au_error_set(AU_EINVALID,
					    "'%s': '..' is not allowed in a repository path", path);
		}
		if (len > 0 && !(len == 1 && path[i] == '.')) {
			if (o > 0)
				p[o++] = '/';
			memcpy(p + o, path + i, len);
			o += len;
		}
		i += len + 1;
	}
	p[o] = '\0';
	*out = p;
	return 0;
}

static char *short_id(char buf[13], const git_oid *id)
{
	git_oid_tostr(buf, 13, id);
	return buf;
}

/* ---- reading at a commit ---------------------------------------------- */

static int blob_bytes(unsigned char **data, size_t *size, git_repository *g,
		      const git_oid *id, const char *path)
{
	git_blob *b = NULL;
	git_object_size_t n;

	if (git_blob_lookup(&b, g, id) < 0)
		return au_error_git(AU_ERROR, "cannot read '%s'", path);
	n = git_blob_rawsize(b);
	*data = malloc((size_t)n + 1);
	if (!*data) {
		git_blob_free(b);
		return au_error_set(AU_ERROR, "out of memory reading '%s'", path);
	}
	if (n)
		memcpy(*data, git_blob_rawcontent(b), (size_t)n);
	(*data)[n] = '\0';
	*size = (size_t)n;
	git_blob_free(b);
	return 0;
}

static int root_tree(git_tree **out, git_repository *g, const git_oid *commit)
{
	git_commit *c = NULL;
	char id[13];
	int rc;

	if (git_commit_lookup(&c, g, commit) < 0)
		return au_error_set(AU_EBADREV, "commit %s not found",
				    short_id(id, commit));
	rc = git_commit_tree(out, c);
	git_commit_free(c);
	if (rc < 0)
		return au_error_git(AU_ERROR, "cannot read the tree of commit %s",
				    short_id(id, commit));
	return 0;
}

/* The entry at `path` (non-empty) in the commit's tree. */
static int entry_at(git_tree_entry **out, git_repository *g,
		    const git_oid *commit, const char *path)
{
	git_tree *root = NULL;
	char id[13];
	int rc;

	if ((rc = root_tree(&root, g, commit)) < 0)
		return rc;
	rc = git_tree_entry_bypath(out, root, path);
	git_tree_free(root);
	if (rc == GIT_ENOTFOUND)
		return au_error_set(AU_ENOTFOUND, "'%s' does not exist at commit %s",
				    path, short_id(id, commit));
	if (rc < 0)
		return au_error_git(AU_ERROR, "cannot look up '%s'", path);
	return 0;
}

static int not_regular(git_filemode_t mode, const char *path,
		       const git_oid *commit)
{
	char id[13];
	const char *what = mode == GIT_FILEMODE_LINK ? "a symbolic link"
			 : mode == GIT_FILEMODE_COMMIT ? "a submodule"
			 : "a directory";

	return au_error_set(AU_EINVALID,
			    "'%s' is %s at commit %s, not a regular file", path,
			    what, short_id(id, commit));
}

int au_repo_read(unsigned char **data, size_t *size, au_repo *repo,
		 const git_oid *commit, const char *path)
{
	git_tree_entry *e = NULL;
	git_filemode_t mode;
	char *p = NULL;
	int rc;

	*data = NULL;
	*size = 0;
	if ((rc = au_repo_norm_path(&p, path)) < 0)
		return rc;
	if (!*p) {
		free(p);
		return au_error_set(AU_EINVALID, "no file named");
	}
	if ((rc = entry_at(&e, repo->git, commit, p)) < 0)
		goto done;
	mode = git_tree_entry_filemode(e);
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		rc = not_regular(mode, p, commit);
	else
		rc = blob_bytes(data, size, repo->git, git_tree_entry_id(e), p);
done:
	git_tree_entry_free(e);
	free(p);
	return rc;
}

/* ---- listing a rule set ----------------------------------------------- */

typedef struct {
	git_repository *git;
	au_fileset *set;
	size_t cap_files, cap_notes;
	const char *prefix;       /* "" or "dir/" */
	int rc;
} walk_ctx;

static char *join3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = malloc(la + lb + lc + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb);
		memcpy(s + la + lb, c, lc + 1);
	}
	return s;
}

static int add_file(walk_ctx *w, char *path, const git_oid *blob)
{
	au_fileset *s = w->set;
	au_file *f;
	int rc;

	if (s->nfiles == w->cap_files) {
		size_t cap = w->cap_files ? 2 * w->cap_files : 16;
		au_file *nf = realloc(s->files, cap * sizeof *nf);

		if (!nf) {
			free(path);
			return au_error_set(AU_ERROR, "out of memory");
		}
		s->files = nf;
		w->cap_files = cap;
	}
	f = &s->files[s->nfiles];
	f->path = path;
	if ((rc = blob_bytes(&f->data, &f->size, w->git, blob, path)) < 0) {
		free(path);
		return rc;
	}
	s->nfiles++;
	return 0;
}

static int add_note(walk_ctx *w, char *path, au_entry_kind kind)
{
	au_fileset *s = w->set;

	if (s->nnotes == w->cap_notes) {
		size_t cap = w->cap_notes ? 2 * w->cap_notes : 4;
		au_entry_note *nn = realloc(s->notes, cap * sizeof *nn);

		if (!nn) {
			free(path);
			return au_error_set(AU_ERROR, "out of memory");
		}
		s->notes = nn;
		w->cap_notes = cap;
	}
	s->notes[s->nnotes].path = path;
	s->notes[s->nnotes].kind = kind;
	s->nnotes++;
	return 0;
}

static int ends_with_md(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/* git_tree_walk callback: `root` is the entry's directory below the
** listed tree, "" or "nested/". */
static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	walk_ctx *w = payload;
	const char *name = git_tree_entry_name(e);
	git_filemode_t mode = git_tree_entry_filemode(e);
	char *path;

	if (mode == GIT_FILEMODE_TREE)
		return 0;
	if ((mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) &&
	    !ends_with_md(name))
		return 0;
	path = join3(w->prefix, root, name);
	if (!path)
		w->rc = au_error_set(AU_ERROR, "out of memory");
	else if (mode == GIT_FILEMODE_LINK)
		w->rc = add_note(w, path, AU_ENTRY_SYMLINK);
	else if (mode == GIT_FILEMODE_COMMIT)
		w->rc = add_note(w, path, AU_ENTRY_SUBMODULE);
	else
		w->rc = add_file(w, path, git_tree_entry_id(e));
	return w->rc < 0 ? -1 : 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const au_file *)a)->path, ((const au_file *)b)->path);
}

static int cmp_note(const void *a, const void *b)
{
	return strcmp(((const au_entry_note *)a)->path,
		      ((const au_entry_note *)b)->path);
}

static int walk_tree(walk_ctx *w, const git_oid *tree_id)
{
	git_tree *t = NULL;
	int rc;

	if (git_tree_lookup(&t, w->git, tree_id) < 0)
		return au_error_git(AU_ERROR, "cannot read a tree");
	rc = git_tree_walk(t, GIT_TREEWALK_PRE, walk_cb, w);
	git_tree_free(t);
	if (w->rc < 0)
		return w->rc;
	if (rc < 0)
		return au_error_git(AU_ERROR, "cannot walk the tree");
	return 0;
}

static int list_path(walk_ctx *w, const git_oid *commit, const char *p)
{
	git_tree_entry *e = NULL;
	git_tree *root = NULL;
	git_filemode_t mode;
	char *copy, *prefix;
	int rc;

	if (!*p) {
		if ((rc = root_tree(&root, w->git, commit)) < 0)
			return rc;
		w->prefix = "";
		rc = walk_tree(w, git_tree_id(root));
		git_tree_free(root);
		return rc;
	}
	if ((rc = entry_at(&e, w->git, commit, p)) < 0)
		return rc;
	mode = git_tree_entry_filemode(e);
	if (mode == GIT_FILEMODE_TREE) {
		prefix = join3(p, "/", "");
		if (!prefix)
			rc = au_error_set(AU_ERROR, "out of memory");
		else {
			w->prefix = prefix;
			rc = walk_tree(w, git_tree_entry_id(e));
			free(prefix);
		}
	} else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
		copy = join3(p, "", "");
		rc = copy ? add_file(w, copy, git_tree_entry_id(e))
			  : au_error_set(AU_ERROR, "out of memory");
	} else {
		rc = not_regular(mode, p, commit);
	}
	git_tree_entry_free(e);
	return rc;
}

int au_repo_files(au_fileset *out, au_repo *repo, const git_oid *commit,
		  const char *path)
{
	walk_ctx w;
	char *p = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = au_repo_norm_path(&p, path ? path : "")) < 0)
		return rc;
	memset(&w, 0, sizeof w);
	w.git = repo->git;
	w.set = out;
	rc = list_path(&w, commit, p);
	free(p);
	if (rc < 0) {
		au_fileset_dispose(out);
		return rc;
	}
	/* A well-formed tree walked in pre-order is already in this order;
	** sorting keeps the promise for trees written by other tools. */
	if (out->nfiles > 1)           /* qsort(NULL, 0, ...) is undefined */
		qsort(out->files, out->nfiles, sizeof *out->files, cmp_file);
	if (out->nnotes > 1)
		qsort(out->notes, out->nnotes, sizeof *out->notes, cmp_note);
	return 0;
}

void au_fileset_dispose(au_fileset *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->nfiles; i++) {
		free(set->files[i].path);
		free(set->files[i].data);
	}
	for (i = 0; i < set->nnotes; i++)
		free(set->notes[i].path);
	free(set->files);
	free(set->notes);
	memset(set, 0, sizeof *set);
}

/* ---- dirty check ------------------------------------------------------ */

static int dirty_collect(au_dirty *out, git_status_list *list)
{
	size_t i, n = git_status_list_entrycount(list);

	out->entries = n ? calloc(n, sizeof *out->entries) : NULL;
	if (n && !out->entries)
		return au_error_set(AU_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		const git_status_entry *s = git_status_byindex(list, i);
		const git_diff_delta *d = s->index_to_workdir ? s->index_to_workdir
							      : s->head_to_index;
		const char *p = d ? (d->new_file.path ? d->new_file.path
						       : d->old_file.path) : NULL;

		if (!p)
			continue;
		out->entries[out->nentries].path = join3(p, "", "");
		if (!out->entries[out->nentries].path)
			return au_error_set(AU_ERROR, "out of memory");
		out->entries[out->nentries].flags = (unsigned int)s->status;
		out->nentries++;
	}
	return 0;
}

int au_repo_dirty(au_dirty *out, au_repo *repo, const char *const *paths,
		  size_t npaths)
{
	git_status_options o;
	git_status_list *list = NULL;
	char **norm = NULL;
	size_t i, k = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (git_repository_is_bare(repo->git)) {
		out->bare = 1;
		return 0;
	}
	git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION);
	o.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	/* No GIT_STATUS_OPT_UPDATE_INDEX: the index is only read.  Literal
	** paths: a rule file name with '*' must not become a glob. */
	o.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
		  GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		  GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH |
		  GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
	if (npaths) {
		norm = calloc(npaths, sizeof *norm);
		if (!norm)
			return au_error_set(AU_ERROR, "out of memory");
		for (i = 0; i < npaths && rc == 0; i++) {
			rc = au_repo_norm_path(&norm[k], paths[i]);
			if (rc == 0 && !*norm[k]) {
				/* the root: the whole repository */
				free(norm[k]);
				norm[k] = NULL;
				k = 0;
				break;
			}
			if (rc == 0)
				k++;
		}
		o.pathspec.strings = norm;
		o.pathspec.count = k;
	}
	if (rc == 0 && git_status_list_new(&list, repo->git, &o) < 0)
		rc = au_error_git(AU_ERROR, "cannot compute the working tree status");
	if (rc == 0)
		rc = dirty_collect(out, list);
	git_status_list_free(list);
	for (i = 0; norm && i < npaths; i++)
		free(norm[i]);
	free(norm);
	if (rc < 0)
		au_dirty_dispose(out);
	return rc;
}

void au_dirty_dispose(au_dirty *dirty)
{
	size_t i;

	if (!dirty)
		return;
	for (i = 0; i < dirty->nentries; i++)
		free(dirty->entries[i].path);
	free(dirty->entries);
	memset(dirty, 0, sizeof *dirty);
}
