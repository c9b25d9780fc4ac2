/*
** driver.c: file discovery and the front-end pipeline (load, parse,
** check).  Reading errors become diagnostics like any other, so a bad
** path does not stop the other files from being checked.
*/
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse.h"
#include "sema.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_md_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/* Appends the *.md files under dir, sorted, depth first. */
static void walk(frontend *fe, const char *dir, ptrvec *out, int depth)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	ptrvec names = {0};
	size_t i;

	if (!dp) {
		diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "cannot read directory '%s': %s", dir,
			    strerror(errno));
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ptrvec_push(&fe->a, &names, arena_strdup(&fe->a, de->d_name));
	}
	closedir(dp);
	if (names.len)
		qsort(names.items, names.len, sizeof(void *), cmp_str);
	for (i = 0; i < names.len; i++) {
		const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
		char *path = arena_printf(&fe->a, "%s%s%s", dir, sep, (char *)names.items[i]);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 32)
			walk(fe, path, out, depth + 1);
		else if (S_ISREG(st.st_mode) && has_md_suffix(path))
			ptrvec_push(&fe->a, out, path);
	}
}

static void parse_one(frontend *fe, src_file *f)
{
	ptrvec_push(&fe->a, &fe->owned_files, f);
	parse_file(&fe->rs, &fe->a, &fe->diag, f);
}

int fe_run(frontend *fe, int npaths, char *const *paths)
{
	ptrvec files = {0};
	size_t i;
	int k;

	memset(fe, 0, sizeof(*fe));
	arena_init(&fe->a);
	diag_init(&fe->diag, &fe->a);
	for (k = 0; k < npaths; k++) {
		struct stat st;
		if (stat(paths[k], &st) != 0) {
			diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "cannot read '%s': %s", paths[k],
				    strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode))
			walk(fe, paths[k], &files, 0);
		else
			ptrvec_push(&fe->a, &files, paths[k]);
	}
	for (i = 0; i < files.len; i++) {
		src_file *f;
		const char *why = "";
		if (src_load(&f, files.items[i], &why) != 0) {
			diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "cannot read '%s': %s",
				    (char *)files.items[i], why);
			continue;
		}
		parse_one(fe, f);
	}
	if (fe->rs.files.len == 0 && fe->diag.nerrors == 0)
		diag_report(&fe->diag, DIAG_ERROR, NULL, 0, 0, "io", "no rule files (*.md) found");
	sema_check(&fe->rs, &fe->a, &fe->diag);
	diag_sort(&fe->diag);
	return fe->diag.nerrors;
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
