/*
** driver.c: file discovery and the front-end pipeline (load, parse,
** check).  Reading errors become diagnostics like any other, so a bad
** path does not stop the other files from being checked.
**
** The directory walk, and what it says about each entry:
**   - names starting with '.' (.git, .cache, editor backups) are skipped
**     without a word: they are never rule files an author expects read;
**   - a *.md entry is a rule file candidate: read if it is (or links to)
**     a regular file; otherwise an error names it (a dangling link, a
**     FIFO, a socket, a device), so no rule file is dropped in silence;
**   - other entries that are not directories are not candidates (quietly);
**   - directories are followed, symbolic links included, but each
**     directory (by device and inode) is read once: a second way into it
**     (a link to '.', two links to one place) is a warning, so link loops
**     end; a directory deeper than WALK_MAX_DEPTH levels is an error;
**   - a rule file reached twice (two links, or named twice) is read once,
**     with a warning naming both paths.
** Paths named on the command line go through src_load, which refuses a
** FIFO or other non-regular file without blocking.
*/
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse.h"
#include "sema.h"

/* Directory levels below a path named on the command line; the walk
 * recurses, so this also bounds its stack. */
#define WALK_MAX_DEPTH 32

/* A file or directory by identity, and the path it was first reached by. */
typedef struct {
	dev_t dev;
	ino_t ino;
	const char *path;
} seen;

typedef struct {
	frontend *fe;
	ptrvec files; /* seen *: the rule files to read, in order */
	ptrvec dirs;  /* seen *: directories entered */
} walker;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_md_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static const seen *find_seen(const ptrvec *v, const struct stat *st)
{
	size_t i;
	for (i = 0; i < v->len; i++) {
		const seen *s = v->items[i];
		if (s->dev == st->st_dev && s->ino == st->st_ino)
			return s;
	}
	return NULL;
}

static void add_seen(walker *w, ptrvec *v, const char *path, const struct stat *st)
{
	seen *s = arena_alloc(&w->fe->a, sizeof(*s));
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->path = path;
	ptrvec_push(&w->fe->a, v, s);
}

/* A rule file to read, unless the same file is already on the list. */
static void add_file(walker *w, const char *path, const struct stat *st)
{
	const seen *first = find_seen(&w->files, st);
	if (first && strcmp(first->path, path) == 0) {
		diag_report(&w->fe->diag, DIAG_WARNING, NULL, 0, 0, "duplicate-file",
			    "'%s' is named twice; it is read once", path);
		return;
	}
	if (first) {
		diag_report(&w->fe->diag, DIAG_WARNING, NULL, 0, 0, "duplicate-file",
			    "'%s' is the same file as '%s'; it is read once", path, first->path);
		return;
	}
	add_seen(w, &w->files, path, st);
}

static const char *kind_of(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO (named pipe)" : S_ISSOCK(m) ? "a socket"
	     : S_ISCHR(m) || S_ISBLK(m) ? "a device" : "not a regular file";
}

static void walk(walker *w, const char *dir, int depth);

/* One directory entry: see the banner for what is said about each kind. */
static void walk_entry(walker *w, const char *path, int depth)
{
	diag_ctx *d = &w->fe->diag;
	struct stat st, lst;
	int md = has_md_suffix(path);

	if (stat(path, &st) != 0) {
		int err = errno;
		if (!md)
			return;
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && err == ENOENT)
			diag_report(d, DIAG_ERROR, NULL, 0, 0, "io",
				    "'%s' is a symbolic link to nothing (its target does not exist); it is not read", path);
		else
			diag_report(d, DIAG_ERROR, NULL, 0, 0, "io", "cannot read '%s': %s", path, strerror(err));
		return;
	}
	if (S_ISDIR(st.st_mode))
		walk(w, path, depth + 1);
	else if (md && S_ISREG(st.st_mode))
		add_file(w, path, &st);
	else if (md)
		diag_report(d, DIAG_ERROR, NULL, 0, 0, "io", "'%s' is %s, not a rule file; it is not read", path,
			    kind_of(st.st_mode));
}

/* Appends the *.md files under dir, sorted, depth first. */
static void walk(walker *w, const char *dir, int depth)
{
	diag_ctx *d = &w->fe->diag;
	struct stat st;
	const seen *again;
	DIR *dp;
	struct dirent *de;
	ptrvec names = {0};
	size_t i;

	if (depth > WALK_MAX_DEPTH) {
		diag_report(d, DIAG_ERROR, NULL, 0, 0, "too-deep",
			    "'%s' is more than %d directories deep; its files are not read", dir, WALK_MAX_DEPTH);
		return;
	}
	if (stat(dir, &st) != 0) {
		diag_report(d, DIAG_ERROR, NULL, 0, 0, "io", "cannot read directory '%s': %s", dir, strerror(errno));
		return;
	}
	if ((again = find_seen(&w->dirs, &st)) != NULL) {
		diag_report(d, DIAG_WARNING, NULL, 0, 0, "duplicate-directory",
			    "'%s' is the directory '%s' again (a symbolic link?); it is read once", dir, again->path);
		return;
	}
	add_seen(w, &w->dirs, dir, &st);
	dp = opendir(dir);
	if (!dp) {
		diag_report(d, DIAG_ERROR, NULL, 0, 0, "io", "cannot read directory '%s': %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ptrvec_push(&w->fe->a, &names, arena_strdup(&w->fe->a, de->d_name));
	}
	closedir(dp);
	if (names.len)
		qsort(names.items, names.len, sizeof(void *), cmp_str);
	for (i = 0; i < names.len; i++) {
		const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
		walk_entry(w, arena_printf(&w->fe->a, "%s%s%s", dir, sep, (char *)names.items[i]), depth);
	}
}

static void parse_one(frontend *fe, src_file *f)
{
	ptrvec_push(&fe->a, &fe->owned_files, f);
	parse_file(&fe->rs, &fe->a, &fe->diag, f);
}

/* Reads one rule file (through the rule set's vfs, if any) and parses it;
 * a file that cannot be read is a diagnostic. */
static void load_and_parse(frontend *fe, const char *path)
{
	src_file *f;
	const char *why = "";

	if (src_load_via(fe->rs.vfs, &f, path, &why) != 0) {
		diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "cannot read '%s': %s", path, why);
		return;
	}
	parse_one(fe, f);
}

/* After the files: the checks across them, then diagnostics in order. */
static int finish(frontend *fe)
{
	if (fe->rs.files.len == 0 && fe->diag.nerrors == 0)
		diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "no rule files (*.md) found");
	sema_check(&fe->rs, &fe->a, &fe->diag);
	diag_sort(&fe->diag);
	return fe->diag.nerrors;
}

int fe_run(frontend *fe, int npaths, char *const *paths)
{
	walker w;
	size_t i;
	int k;

	memset(fe, 0, sizeof(*fe));
	memset(&w, 0, sizeof w);
	arena_init(&fe->a);
	diag_init(&fe->diag, &fe->a);
	w.fe = fe;
	for (k = 0; k < npaths; k++) {
		struct stat st;
		if (stat(paths[k], &st) != 0) {
			diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "cannot read '%s': %s", paths[k],
				    strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode))
			walk(&w, paths[k], 0);
		else if (S_ISREG(st.st_mode))
			add_file(&w, paths[k], &st);
		else
			/* Named by the author: src_load says why it is refused. */
			add_seen(&w, &w.files, paths[k], &st);
	}
	for (i = 0; i < w.files.len; i++)
		load_and_parse(fe, ((const seen *)w.files.items[i])->path);
	return finish(fe);
}

int fe_run_vfs(frontend *fe, const src_vfs *vfs, size_t nfiles, const char *const *files)
{
	size_t i;

	memset(fe, 0, sizeof(*fe));
	arena_init(&fe->a);
	diag_init(&fe->diag, &fe->a);
	fe->rs.vfs = vfs;
	for (i = 0; i < nfiles; i++)
		load_and_parse(fe, files[i]);
	return finish(fe);
}

int fe_run_memory(frontend *fe, const char *name, const char *data, size_t len)
{
	src_file *f;

	memset(fe, 0, sizeof(*fe));
	arena_init(&fe->a);
	diag_init(&fe->diag, &fe->a);
	if (src_from_memory(&f, name, data, len) != 0) {
		diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "'%s' is too large", name);
		return fe->diag.nerrors;
	}
	parse_one(fe, f);
	sema_check(&fe->rs, &fe->a, &fe->diag);
	diag_sort(&fe->diag);
	return fe->diag.nerrors;
}

void fe_free(frontend *fe)
{
	size_t i;

	if (!fe)
		return;
	for (i = 0; i < fe->owned_files.len; i++)
		src_free(fe->owned_files.items[i]);
	arena_free(&fe->a);
	memset(fe, 0, sizeof(*fe));
}
