/*
** weave.c: the book as a whole: the rendering context (declarations by
** name, the stored texts), index.html's order (summary, the prose of each
** rule file with its rule blocks rendered in place, the "Try it" form),
** one page per stored text, and the atomic write of the directory.
*/
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "weave_impl.h"

/* ---- helpers the renderers share ---------------------------------------- */

static int by_name(const void *x, const void *y)
{
	const decl *a = *(const decl *const *)x, *b = *(const decl *const *)y;
	int r = strcmp(a->id.name, b->id.name);
	/* Equal names: the one declared first wins lookups (stable). */
	return r ? r : (a->loc.start < b->loc.start ? -1 : a->loc.start > b->loc.start);
}

const decl *wv_lookup(const wv_ctx *c, const char *name, size_t n)
{
	size_t lo = 0, hi = c->nbyname;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *m = c->byname[mid]->id.name;
		int r = strncmp(m, name, n);
		if (r == 0 && m[n] != '\0')
			r = 1;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nbyname) {
		const char *m = c->byname[lo]->id.name;
		if (strncmp(m, name, n) == 0 && m[n] == '\0')
			return c->byname[lo];
	}
	return NULL;
}

/* Pointers compare by address as integers (relational operators on
 * pointers into different objects are undefined). */
static int by_addr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t) * (const decl *const *)x, b = (uintptr_t) * (const decl *const *)y;
	return a < b ? -1 : a > b;
}

long wv_decl_pos(const wv_ctx *c, const decl *d)
{
	size_t lo = 0, hi = c->rs->decls.len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uintptr_t)c->byaddr[mid] < (uintptr_t)d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->rs->decls.len && c->byaddr[lo] == d ? (long)c->addrpos[lo] : -1;
}

/* byaddr and addrpos: the declarations by address, with their positions. */
static int index_addrs(wv_ctx *c)
{
	size_t n = c->rs->decls.len, i, j;
	c->byaddr = malloc((n ? n : 1) * sizeof *c->byaddr);
	c->addrpos = malloc((n ? n : 1) * sizeof *c->addrpos);
	if (!c->byaddr || !c->addrpos)
		return -1;
	if (n)
		memcpy(c->byaddr, c->rs->decls.items, n * sizeof *c->byaddr);
	qsort(c->byaddr, n, sizeof *c->byaddr, by_addr);
	/* A declaration's position: looked up once per declaration here, by
	 * bisection on byaddr, while addrpos fills in. */
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = n;
		const decl *d = c->rs->decls.items[i];
		while (lo < hi) {
			j = (lo + hi) / 2;
			if ((uintptr_t)c->byaddr[j] < (uintptr_t)d)
				lo = j + 1;
			else
				hi = j;
		}
		c->addrpos[lo] = i;
	}
	return 0;
}

void wv_span_text(wv_ctx *c, const src_file *f, span s)
{
	if (f && s.start <= s.end && s.end <= f->len)
		wv_text(c->b, f->text + s.start, s.end - s.start);
}

const char *wv_verb_name(act_verb v)
{
	return lr_verb_name((int)v);
}

const char *wv_field(const decl *d, const char *key)
{
	size_t i;
	for (i = 0; i < d->fields.len; i++) {
		const field *f = d->fields.items[i];
		if (strcmp(f->key.name, key) == 0)
			return f->text;
	}
	return NULL;
}

/* ---- the pages ------------------------------------------------------------ */

static int add_page(wv_book *bk, const char *name, wv_buf *html)
{
	wv_page *p = realloc(bk->pages, (bk->npages + 1) * sizeof *p);
	if (!p)
		return -1;
	bk->pages = p;
	p = &bk->pages[bk->npages];
	if (!(p->name = malloc(strlen(name) + 1)))
		return -1;
	strcpy(p->name, name);
	p->html = *html;
	memset(html, 0, sizeof *html);
	bk->npages++;
	return 0;
}

static void nav(wv_ctx *c)
{
	size_t i;
	wv_put(c->b, "<nav class=\"lr-nav\" aria-label=\"Contents\"><a href=\"#lr-summary\">Summary</a>"
		     " <a href=\"#lr-bibliography\">Bibliography</a> <a href=\"#lr-params\">Parameters</a>"
		     " <a href=\"#lr-inputs\">Inputs</a>");
	for (i = 0; i < c->rs->files.len; i++) {
		const src_file *f = c->rs->files.items[i];
		const char *base = strrchr(f->path, '/');
		wv_printf(c->b, " <a href=\"#lr-file-%zu\">", i + 1);
		wv_texts(c->b, base && base[1] ? base + 1 : f->path);
		wv_put(c->b, "</a>");
	}
	wv_put(c->b, " <a href=\"#lr-try\">Try it</a></nav>\n");
}

static int index_page(wv_ctx *c)
{
	size_t i;
	const char *name = c->ev->name ? c->ev->name : "rules";

	wv_head(c->b, name, "");
	wv_put(c->b, "<body>\n");
	nav(c);
	wv_put(c->b, "<main>\n<header class=\"lr-title\"><h1>");
	wv_texts(c->b, c->rs->ruleset && c->rs->ruleset->title ? c->rs->ruleset->title : name);
	wv_put(c->b, "</h1><p>The rule book, woven by <code>litrule weave</code>: the prose with each rule in place, and "
		     "beside every rule the passages it encodes, the examples that exercise it, its verification "
		     "findings and its last change.</p></header>\n");
	wv_summary(c);
	for (i = 0; i < c->rs->files.len; i++) {
		const src_file *f = c->rs->files.items[i];
		wv_printf(c->b, "<section class=\"lr-file\" id=\"lr-file-%zu\">\n<p class=\"lr-file-name\">", i + 1);
		wv_texts(c->b, f->path);
		wv_put(c->b, "</p>\n");
		if (wv_prose(c, f) != 0)
			return -1;
		wv_put(c->b, "</section>\n");
	}
	wv_try(c);
	wv_put(c->b, "</main>\n");
	wv_script(c->b);
	wv_put(c->b, "</body>\n</html>\n");
	return c->b->oom ? -1 : 0;
}

static int render_pages(wv_ctx *c, wv_book *out)
{
	wv_buf b = {0};
	size_t i;

	c->b = &b;
	if (index_page(c) != 0 || add_page(out, "index.html", &b) != 0)
		goto fail;
	for (i = 0; i < c->ntexts; i++) {
		char name[300];
		if (wv_source_page(c, &c->texts[i], &b) != 0)
			goto fail;
		snprintf(name, sizeof name, "sources/%.280s.html", c->texts[i].stem);
		if (add_page(out, name, &b) != 0)
			goto fail;
	}
	return 0;
fail:
	wv_buf_free(&b);
	return -1;
}

int wv_render(wv_book *out, const ruleset_ast *rs, const wv_evidence *ev, diag_ctx *d)
{
	wv_ctx c;
	size_t n = rs->decls.len;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.rs = rs;
	c.ev = ev;
	c.d = d;
	c.byname = malloc((n ? n : 1) * sizeof *c.byname);
	c.id_done = calloc(n ? n : 1, 1);
	if (!c.byname || !c.id_done)
		goto done;
	if (n)
		memcpy(c.byname, rs->decls.items, n * sizeof *c.byname);
	qsort(c.byname, n, sizeof *c.byname, by_name);
	c.nbyname = n;
	if (index_addrs(&c) != 0 || wv_texts_collect(&c) != 0)
		goto done;
	rc = render_pages(&c, out);
done:
	wv_texts_free(&c);
	free(c.byname);
	free(c.byaddr);
	free(c.addrpos);
	free(c.id_done);
	if (rc != 0)
		wv_book_free(out);
	return rc;
}

void wv_book_free(wv_book *book)
{
	size_t i;
	for (i = 0; i < book->npages; i++) {
		free(book->pages[i].name);
		wv_buf_free(&book->pages[i].html);
	}
	free(book->pages);
	book->pages = NULL;
	book->npages = 0;
}

/* ---- writing the directory --------------------------------------------- */

/* Removes what a weave directory holds: files, and directories up to a
 * small depth (the book has sources/); deeper trees are left, and rmdir
 * then fails, which only leaves a stale copy, never a half-written book. */
static void rm_tree(const char *path, int depth)
{
	DIR *dir = opendir(path);
	struct dirent *e;

	if (dir) {
		while ((e = readdir(dir)) != NULL) {
			char sub[4096];
			struct stat st;
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub)
				continue;
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
				if (depth < 4)
					rm_tree(sub, depth + 1);
			} else
				unlink(sub);
		}
		closedir(dir);
	}
	rmdir(path);
}

static int write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;
	if (!f)
		return -1;
	if (n && fwrite(data, 1, n, f) != n)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Every page, the sources/ directory and the marker into tmp. */
static int fill_dir(const wv_book *book, const char *tmp, int fail_after, char *why, size_t nwhy)
{
	char path[4096];
	size_t i;
	int written = 0;

	if ((size_t)snprintf(path, sizeof path, "%s/sources", tmp) >= sizeof path || mkdir(path, 0777) != 0) {
		snprintf(why, nwhy, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i <= book->npages; i++) {
		const char *name = i < book->npages ? book->pages[i].name : WV_MARKER;
		const char *data = i < book->npages ? book->pages[i].html.data : "written by litrule weave\n";
		size_t n = i < book->npages ? book->pages[i].html.len : strlen(data);
		if (fail_after > 0 && written >= fail_after) {
			snprintf(why, nwhy, "cannot write %s/%s: injected failure", tmp, name);
			return -1;
		}
		if ((size_t)snprintf(path, sizeof path, "%s/%s", tmp, name) >= sizeof path ||
		    write_file(path, data ? data : "", n) != 0) {
			snprintf(why, nwhy, "cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		written++;
	}
	return 0;
}

/* What is at dir: 0 nothing, 1 an empty directory, 2 a directory weave
 * wrote, -1 something else (why says what). */
static int dir_state(const char *dir, char *why, size_t nwhy)
{
	struct stat st;
	char marker[4096];
	DIR *d;
	struct dirent *e;
	int empty = 1;

	if (lstat(dir, &st) != 0)
		return errno == ENOENT ? 0 : (snprintf(why, nwhy, "cannot use %s: %s", dir, strerror(errno)), -1);
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, nwhy, "%s exists and is not a directory", dir);
		return -1;
	}
	if ((size_t)snprintf(marker, sizeof marker, "%s/%s", dir, WV_MARKER) < sizeof marker && lstat(marker, &st) == 0 &&
	    S_ISREG(st.st_mode))
		return 2;
	if (!(d = opendir(dir))) {
		snprintf(why, nwhy, "cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	while (empty && (e = readdir(d)) != NULL)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	if (empty)
		return 1;
	snprintf(why, nwhy, "%s is not empty and was not written by litrule weave (no %s in it); refusing to replace it",
		 dir, WV_MARKER);
	return -1;
}

int wv_write_dir(const wv_book *book, const char *dir, int fail_after, char *why, size_t nwhy)
{
	char tmp[4096], old[4096];
	size_t n = strlen(dir);
	int state;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n + 32 > sizeof tmp) {
		snprintf(why, nwhy, "the directory name is too long");
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%.*s", (int)n, dir);
	if ((state = dir_state(tmp, why, nwhy)) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%.*s.tmp.XXXXXX", (int)n, dir);
	if (!mkdtemp(tmp)) {
		snprintf(why, nwhy, "cannot create a directory beside %.*s: %s", (int)n, dir, strerror(errno));
		return -1;
	}
	chmod(tmp, 0755);
	if (fill_dir(book, tmp, fail_after, why, nwhy) != 0) {
		rm_tree(tmp, 0);
		return -1;
	}
	snprintf(old, sizeof old, "%.*s", (int)n, dir);
	if (state == 2) {
		/* The previous book moves aside (onto an empty directory, which
		 * rename replaces), the new one takes its name, the old goes. */
		char aside[4096];
		snprintf(aside, sizeof aside, "%.*s.old.XXXXXX", (int)n, dir);
		if (!mkdtemp(aside) || rename(old, aside) != 0) {
			snprintf(why, nwhy, "cannot move the previous %s aside: %s", old, strerror(errno));
			rm_tree(tmp, 0);
			return -1;
		}
		if (rename(tmp, old) != 0) {
			snprintf(why, nwhy, "cannot rename %s to %s: %s", tmp, old, strerror(errno));
			rename(aside, old);
			rm_tree(tmp, 0);
			return -1;
		}
		rm_tree(aside, 0);
		return 0;
	}
	if (rename(tmp, old) != 0) {
		snprintf(why, nwhy, "cannot rename %s to %s: %s", tmp, old, strerror(errno));
		rm_tree(tmp, 0);
		return -1;
	}
	return 0;
}
