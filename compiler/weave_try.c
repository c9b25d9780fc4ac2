/*
** weave_try.c: "Try it", a form generated from the input dictionary that
** builds a patient record in the JSON `litrule eval` reads: one control
** per input (a three-state checkbox for yes/no: missing, true, false; a
** number field; a date field; a select with an empty "missing" option),
** and the record, holding only the fields set, in <pre id="lr-try-out">.
** Decimals are strings, as eval takes them exactly.  Nothing is evaluated
** in the browser; the script is in weave_style.c.
*/
#include <string.h>

#include "weave_impl.h"

static void control(wv_ctx *c, const decl *in)
{
	const char *n = in->id.name;
	size_t i, len = strlen(n);
	wv_buf *b = c->b;

	wv_put(b, "<div class=\"lr-try-field\"><label for=\"lr-try-");
	wv_esc(b, n, len);
	wv_put(b, "\"><code>");
	wv_esc(b, n, len);
	wv_put(b, "</code>");
	if (in->unit) {
		wv_put(b, " (");
		wv_texts(b, in->unit);
		wv_put(b, ")");
	}
	if (in->title) {
		wv_put(b, " <span class=\"lr-try-desc\">");
		wv_texts(b, in->title);
		wv_put(b, "</span>");
	}
	wv_put(b, "</label>");
	switch (in->itype) {
	case IT_BOOL:
		wv_put(b, "<input type=\"checkbox\" data-type=\"bool\" data-state=\"missing\"");
		break;
	case IT_NUM:
		wv_put(b, "<input type=\"number\" step=\"any\" inputmode=\"decimal\" data-type=\"number\"");
		break;
	case IT_DATE:
		wv_put(b, "<input type=\"date\" data-type=\"date\"");
		break;
	case IT_ENUM:
		wv_put(b, "<select data-type=\"enum\"");
		break;
	}
	wv_put(b, " id=\"lr-try-");
	wv_esc(b, n, len);
	wv_put(b, "\" name=\"");
	wv_esc(b, n, len);
	wv_put(b, "\">");
	if (in->itype == IT_ENUM) {
		wv_put(b, "<option value=\"\">missing</option>");
		for (i = 0; i < in->values.len; i++) {
			const ident *v = in->values.items[i];
			wv_put(b, "<option value=\"");
			wv_esc(b, v->name, strlen(v->name));
			wv_put(b, "\">");
			wv_esc(b, v->name, strlen(v->name));
			wv_put(b, "</option>");
		}
		wv_put(b, "</select>");
	} else if (in->itype == IT_BOOL)
		wv_put(b, "<span class=\"lr-try-state\">missing</span>");
	wv_put(b, "</div>\n");
}

void wv_try(wv_ctx *c)
{
	size_t i;

	wv_put(c->b, "<section id=\"lr-try-section\">\n<h2>Try it</h2>\n<p>Build a patient record for "
		     "<code>litrule eval</code>: set what you know and leave the rest missing; only the fields you set "
		     "are in the record. A yes/no box cycles through missing, yes and no.</p>\n"
		     "<form id=\"lr-try\" autocomplete=\"off\">\n");
	for (i = 0; i < c->rs->decls.len; i++) {
		const decl *in = c->rs->decls.items[i];
		if (in->kind == D_INPUT)
			control(c, in);
	}
	wv_put(c->b, "<p><button type=\"reset\">Clear</button></p>\n</form>\n"
		     "<p><button type=\"button\" id=\"lr-try-copy\">Copy the record</button> "
		     "<span id=\"lr-try-copied\" role=\"status\"></span></p>\n"
		     "<pre id=\"lr-try-out\">{}</pre>\n</section>\n");
}
