/*
** weave_prose.c: a rule file's prose, rendered by cmark-gfm (CommonMark
** with GFM tables) in its default safe mode: raw HTML in the prose is
** omitted and links with javascript:, vbscript:, file: or data: URLs lose
** their target.  Each top-level ```rule block is replaced by the rendered
** declarations it holds (weave_rule.c); everything else is cmark's HTML,
** block by block, with Chinese text marked lang="zh".
*/
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "weave_impl.h"

static int is_rule_block(cmark_node *n)
{
	const char *info;
	size_t k;

	if (cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK)
		return 0;
	info = cmark_node_get_fence_info(n);
	if (!info)
		return 0;
	k = strcspn(info, " \t");
	return k == 4 && memcmp(info, "rule", 4) == 0;
}

/* 1 if line k of f is a closing fence (up to 3 spaces, then ``` or ~~~). */
static int fence_line(const src_file *f, uint32_t k)
{
	uint32_t s, e, i = 0;
	src_line_span(f, k, &s, &e);
	while (i < 3 && s + i < e && f->text[s + i] == ' ')
		i++;
	return e - (s + i) >= 3 && (memcmp(f->text + s + i, "```", 3) == 0 || memcmp(f->text + s + i, "~~~", 3) == 0);
}

/* The content of the fenced block on lines first..last of f (1-based,
 * clamped): without the opening fence, and without the closing one. */
static void block_range(const src_file *f, int first, int last, uint32_t *s, uint32_t *e)
{
	uint32_t a, b;
	if (first < 1)
		first = 1;
	if (last < first)
		last = first;
	if ((uint32_t)first >= f->nlines) {
		*s = *e = f->len;
		return;
	}
	if ((uint32_t)last > f->nlines)
		last = (int)f->nlines;
	if (last > first && fence_line(f, (uint32_t)last))
		last--;
	src_line_span(f, (uint32_t)first + 1, s, &b);
	src_line_span(f, (uint32_t)last, &a, e);
	if (*e < *s)
		*e = *s;
}

int wv_prose(wv_ctx *c, const src_file *f)
{
	cmark_syntax_extension *table;
	cmark_parser *p;
	cmark_node *doc, *n;
	cmark_mem *mem = cmark_get_default_mem_allocator();

	cmark_gfm_core_extensions_ensure_registered();
	if (!(p = cmark_parser_new(CMARK_OPT_DEFAULT)))
		return -1;
	if ((table = cmark_find_syntax_extension("table")) != NULL)
		cmark_parser_attach_syntax_extension(p, table);
	cmark_parser_feed(p, f->text, f->len);
	if (!(doc = cmark_parser_finish(p))) {
		cmark_parser_free(p);
		return -1;
	}
	wv_put(c->b, "<div class=\"lr-prose\">\n");
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (is_rule_block(n)) {
			uint32_t s, e;
			block_range(f, cmark_node_get_start_line(n), cmark_node_get_end_line(n), &s, &e);
			wv_block(c, f, s, e);
		} else {
			/* CMARK_OPT_DEFAULT: safe (no CMARK_OPT_UNSAFE). */
			char *html = cmark_render_html(n, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
			if (!html) {
				c->b->oom = 1;
				break;
			}
			wv_zh_html(c->b, html, strlen(html));
			mem->free(html);
		}
	}
	wv_put(c->b, "</div>\n");
	cmark_node_free(doc);
	cmark_parser_free(p);
	return c->b->oom ? -1 : 0;
}
