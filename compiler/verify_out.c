/*
** verify_out.c: what `litrule verify` prints: the summary line (counts per
** check), the JSON document (the diagnostics `check` prints, plus the
** summary) and SARIF 2.1.0 for code-scanning tools (validated against the
** OASIS schema in tests/sarif/).  Everything a SARIF result needs comes
** from the diagnostic: its id is the ruleId, its notes the related
** locations, its properties the property bag, and a hash of its check id,
** key and message (never its position) the partial fingerprint, so a
** finding keeps its fingerprint when lines above it are inserted.
*/
#include "verify.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jtext.h"
#include "litrule.h"

/* Index of g's check in the table, or n (the front end's diagnostics). */
static size_t out_check_index(const diag *g, size_t n)
{
	const vf_check *all;
	const vf_check *c = vf_check_by_id(g->id);
	size_t k;
	all = vf_checks(&k);
	(void)k;
	return c ? (size_t)(c - all) : n;
}

void vf_count_findings(const diag_ctx *d, vf_count *counts)
{
	size_t n, i;

	vf_checks(&n);
	memset(counts, 0, (n + 1) * sizeof(*counts));
	for (i = 0; i < d->items.len; i++) {
		const diag *g = d->items.items[i];
		size_t k = out_check_index(g, n);
		if (g->sev == DIAG_ERROR)
			counts[k].errors++;
		else if (g->sev == DIAG_WARNING)
			counts[k].warnings++;
	}
}

static void out_one_count(FILE *out, const char *id, const vf_count *c)
{
	fprintf(out, "%s %d error%s, %d warning%s", id, c->errors, c->errors == 1 ? "" : "s", c->warnings,
		c->warnings == 1 ? "" : "s");
}

void vf_print_summary(const vf_count *counts, FILE *out)
{
	size_t n, i;
	const vf_check *all = vf_checks(&n);

	fputs("verify: ", out);
	out_one_count(out, "check", &counts[n]);
	for (i = 0; i < n; i++) {
		fputs("; ", out);
		out_one_count(out, all[i].id, &counts[i]);
	}
	fputc('\n', out);
}

static json_t *out_summary_json(const vf_count *counts)
{
	size_t n, i;
	const vf_check *all = vf_checks(&n);
	json_t *s = json_object();

	for (i = 0; i <= n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "errors", json_integer(counts[i].errors));
		json_object_set_new(o, "warnings", json_integer(counts[i].warnings));
		json_object_set_new(s, i < n ? all[i].id : "check", o);
	}
	return s;
}

void vf_print_json(const diag_ctx *d, const vf_count *counts, FILE *out)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "diagnostics", diag_to_json(d));
	json_object_set_new(doc, "summary", out_summary_json(counts));
	json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
}

/* FNV-1a, 64 bits, over a string and its terminating zero. */
static uint64_t out_fnv(uint64_t h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	} while (*s++);
	return h;
}

void vf_fingerprint(const diag *g, char out[17])
{
	uint64_t h = 14695981039346656037ULL;

	h = out_fnv(h, g->id ? g->id : "");
	h = out_fnv(h, g->fp_key ? g->fp_key : "");
	h = out_fnv(h, g->msg);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ---- SARIF ------------------------------------------------------------------ */

/* A path as a relative URI reference: "./" dropped, and every byte but
 * the unreserved ones and '/' percent-encoded (RFC 3986). */
static char *out_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), k = 0, i;
	char *u = malloc(3 * n + 1);

	if (!u)
		abort();
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	for (i = 0; path[i]; i++) {
		unsigned char ch = (unsigned char)path[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    strchr("-._~/", ch))
			u[k++] = (char)ch;
		else {
			u[k++] = '%';
			u[k++] = hex[ch >> 4];
			u[k++] = hex[ch & 15];
		}
	}
	u[k] = '\0';
	return u;
}

/* The path of f relative to root (a directory ending in '/'), or NULL. */
static const char *out_relative(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (path[0] != '/')
		return path;
	return strncmp(path, root, n) == 0 ? path + n : NULL;
}

static json_t *out_location(const diag *g, const char *root)
{
	json_t *phys = json_object(), *art = json_object(), *reg = json_object(), *loc = json_object();
	const char *rel = out_relative(g->file->path, root);
	char *uri;

	if (rel) {
		uri = out_uri(rel);
		json_object_set_new(art, "uri", json_string(uri));
		json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
	} else {
		char *p = out_uri(g->file->path);
		uri = malloc(strlen(p) + 8);
		if (!uri)
			abort();
		sprintf(uri, "file://%s", p);
		free(p);
		json_object_set_new(art, "uri", json_string(uri));
	}
	free(uri);
	json_object_set_new(reg, "startLine", json_integer(g->line));
	json_object_set_new(reg, "startColumn", json_integer(g->col));
	json_object_set_new(reg, "endLine", json_integer(g->end_line));
	json_object_set_new(reg, "endColumn", json_integer(g->end_col > 0 ? g->end_col : 1));
	json_object_set_new(phys, "artifactLocation", art);
	json_object_set_new(phys, "region", reg);
	json_object_set_new(loc, "physicalLocation", phys);
	return loc;
}

static json_t *out_text(const char *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", jtext_string(s));
	return o;
}

static const char *out_level(diag_severity s)
{
	return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

static json_t *out_rules(void)
{
	size_t n, i;
	const vf_check *all = vf_checks(&n);
	json_t *rules = json_array();

	for (i = 0; i < n; i++) {
		json_t *r = json_object(), *cfg = json_object();
		json_object_set_new(r, "id", json_string(all[i].id));
		json_object_set_new(r, "name", json_string(all[i].name));
		json_object_set_new(r, "shortDescription", out_text(all[i].short_desc));
		json_object_set_new(r, "fullDescription", out_text(all[i].full_desc));
		json_object_set_new(r, "help", out_text(all[i].help));
		json_object_set_new(cfg, "level", json_string(out_level(all[i].level)));
		json_object_set_new(r, "defaultConfiguration", cfg);
		json_array_append_new(rules, r);
	}
	return rules;
}

/* The fingerprint, with "/k" for the k-th finding that hashes alike. */
static char *out_unique_fp(const diag *g, char (*seen)[17], size_t nseen)
{
	char fp[17], *s = malloc(40);
	size_t i, dup = 0;

	if (!s)
		abort();
	vf_fingerprint(g, fp);
	for (i = 0; i < nseen; i++)
		dup += strcmp(seen[i], fp) == 0;
	memcpy(seen[nseen], fp, 17);
	if (dup)
		snprintf(s, 40, "%s/%zu", fp, dup);
	else
		snprintf(s, 40, "%s", fp);
	return s;
}

static json_t *out_result(const diag *g, const char *root, char *fp)
{
	json_t *r = json_object(), *fps = json_object();
	size_t n, k = out_check_index(g, (vf_checks(&n), n)), i;

	json_object_set_new(r, "ruleId", json_string(g->id ? g->id : "error"));
	if (k < n)
		json_object_set_new(r, "ruleIndex", json_integer((json_int_t)k));
	json_object_set_new(r, "level", json_string(out_level(g->sev)));
	json_object_set_new(r, "message", out_text(g->msg));
	if (g->file) {
		json_t *locs = json_array();
		json_array_append_new(locs, out_location(g, root));
		json_object_set_new(r, "locations", locs);
	}
	if (g->notes.len) {
		json_t *rel = json_array();
		for (i = 0; i < g->notes.len; i++) {
			const diag *nt = g->notes.items[i];
			json_t *l = nt->file ? out_location(nt, root) : json_object();
			json_object_set_new(l, "id", json_integer((json_int_t)i));
			json_object_set_new(l, "message", out_text(nt->msg));
			json_array_append_new(rel, l);
		}
		json_object_set_new(r, "relatedLocations", rel);
	}
	json_object_set_new(fps, "litruleFinding/v1", json_string(fp));
	json_object_set_new(r, "partialFingerprints", fps);
	if (g->props) {
		json_t *pr = json_loads(g->props, 0, NULL);
		if (pr)
			json_object_set_new(r, "properties", pr);
	}
	return r;
}

static json_t *out_run(const diag_ctx *d, const char *root)
{
	json_t *run = json_object(), *tool = json_object(), *drv = json_object(), *res = json_array();
	json_t *bases = json_object(), *src = json_object();
	char (*seen)[17] = calloc(d->items.len + 1, 17);
	char ver[32], *rooturi;
	size_t i;
	int v = lr_version();

	if (!seen)
		abort();
	snprintf(ver, sizeof ver, "%d.%d.%d", v >> 16, (v >> 8) & 0xff, v & 0xff);
	json_object_set_new(drv, "name", json_string("litrule"));
	json_object_set_new(drv, "version", json_string(ver));
	json_object_set_new(drv, "rules", out_rules());
	json_object_set_new(tool, "driver", drv);
	json_object_set_new(run, "tool", tool);
	rooturi = out_uri(root);
	{
		char *u = malloc(strlen(rooturi) + 8);
		if (!u)
			abort();
		sprintf(u, "file://%s", rooturi);
		json_object_set_new(src, "uri", json_string(u));
		free(u);
	}
	free(rooturi);
	json_object_set_new(bases, "%SRCROOT%", src);
	json_object_set_new(run, "originalUriBaseIds", bases);
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	for (i = 0; i < d->items.len; i++) {
		char *fp = out_unique_fp(d->items.items[i], seen, i);
		json_array_append_new(res, out_result(d->items.items[i], root, fp));
		free(fp);
	}
	json_object_set_new(run, "results", res);
	free(seen);
	return run;
}

void vf_print_sarif(const diag_ctx *d, const char *srcroot, FILE *out)
{
	json_t *doc = json_object(), *runs = json_array();
	char cwd[4096], *root;
	size_t n;

	if (!srcroot)
		srcroot = getcwd(cwd, sizeof cwd - 1) ? cwd : "/";
	n = strlen(srcroot);
	root = malloc(n + 2);
	if (!root)
		abort();
	memcpy(root, srcroot, n + 1);
	if (n == 0 || root[n - 1] != '/')
		strcat(root, "/");
	json_object_set_new(doc, "$schema", json_string("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_array_append_new(runs, out_run(d, root));
	json_object_set_new(doc, "runs", runs);
	json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
	free(root);
}
