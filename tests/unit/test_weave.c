/*
** test_weave.c: the HTML of `litrule weave` (compiler/weave*.c).
**
** Escaping (a title, a quote, a stored text holding <script> or </style>
** show as text; raw HTML in the prose is omitted by cmark-gfm's safe mode;
** a javascript: link in the prose loses its target and a javascript: url of
** a source is shown as text with a warning), the anchors (every rule's
** element, every name linked in the code resolves to an id), every rule in
** the summary once, every citation linked to a marked passage (or marked as
** having no stored text), the Chinese text in lang="zh", the quote finder
** against the front end's normalisation, and the atomic directory write
** (a failure in the middle leaves the previous book as it was).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "weave.h"

static const char book_md[] =
	"# Book <script>alert(1)</script>\n\n"
	"Prose with <b>raw html</b>, a [bad link](javascript:alert(1)), a [bad one too](JaVaScRiPt:alert(1)) "
	"and a [good](https://example.org).\n\n"
	"| a | b |\n|---|---|\n| 1 | 2 |\n\n"
	"中文段落，骨保护治疗。\n\n"
	"```rule\n"
	"source S \"Guide </style><script>alert(2)</script>\"\n"
	"  url \"javascript:alert(3)\"\n"
	"  text \"src.txt\"\n"
	"source N \"No text source\"\n"
	"  url \"https://example.org/n\"\n"
	"input x: number in mg, from 0 to 10 \"the x <value>\"\n"
	"input b: bool \"flag\"\n"
	"input e: one of lo, hi \"level\"\n"
	"rule R1 \"first <i>rule</i>\"\n"
	"  when x > 5 and b\n"
	"  then recommend \"do <script>it</script>\"\n"
	"  cite S at \"p. 1\" quote \"alpha   beta\"\n"
	"  cite N at \"p. 2\" quote \"no stored text here\"\n"
	"rule R2 \"second\"\n"
	"  when e is hi\n"
	"  then alert \"hi\"\n"
	"  cite S at \"p. 2\" quote \"</style><script>x</script>\"\n"
	"example ex1 \"R1 fires\"\n"
	"  given x = 6, b = true\n"
	"  expect R1\n"
	"```\n";

static const char src_txt[] = "Intro.\nalpha\n  beta gamma.\n</style><script>x</script>\n";

static char dir[64];

static void put_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	const char *p = hay;
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* ---- the buffer and escaping ------------------------------------------------ */

static void test_weave__escape(void **state)
{
	wv_buf b = {0};
	(void)state;
	wv_esc(&b, "<a href=\"x\">&'</a>", 18);
	assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	wv_buf_free(&b);
}

static void test_weave__cjk_spans(void **state)
{
	wv_buf b = {0};
	const char *s = "骨保护 is 是MM的 资讯) says <x>";
	(void)state;
	wv_text(&b, s, strlen(s));
	assert_string_equal(b.data, "<span lang=\"zh\">骨保护</span> is <span lang=\"zh\">是MM的</span> "
				    "<span lang=\"zh\">资讯</span>) says &lt;x&gt;");
	wv_buf_free(&b);
	wv_zh_html(&b, "<p title=\"中\">中文 <em>text</em></p>", strlen("<p title=\"中\">中文 <em>text</em></p>"));
	assert_string_equal(b.data, "<p title=\"中\"><span lang=\"zh\">中文</span> <em>text</em></p>");
	wv_buf_free(&b);
}

/* ---- the quote finder ---------------------------------------------------------- */

static void test_weave__quote_find(void **state)
{
	const char *text = "Intro.\nalpha\n  beta gamma.";
	/* "cafe\xCC\x81" is e + combining acute (NFD); the quote is NFC. */
	const char *nfd = "the cafe\xCC\x81 rule";
	uint32_t s = 0, e = 0;
	(void)state;
	assert_int_equal(wv_quote_find(text, strlen(text), "alpha beta", &s, &e), 0);
	assert_int_equal(s, 7);
	assert_int_equal(e, 19);
	assert_int_equal(wv_quote_find(text, strlen(text), "a\n gamma.", &s, &e), 0);
	assert_int_equal(s, 18);
	assert_int_equal(e, 26);
	assert_int_equal(wv_quote_find(nfd, strlen(nfd), "caf\xC3\xA9 rule", &s, &e), 0);
	assert_int_equal(s, 4);    /* the whole word whose bytes normalisation changed */
	assert_int_equal(e, strlen(nfd));
	assert_int_equal(wv_quote_find(text, strlen(text), "alpha gamma", &s, &e), -1);
	assert_int_equal(wv_quote_find(text, strlen(text), "   ", &s, &e), -1);
}

/* ---- a whole book ------------------------------------------------------------------ */

static void change(void *ud, const decl *r, wv_change *out)
{
	(void)ud;
	(void)r;
	out->commit = "abc123";
	out->author = "A <a@x>";
	out->date = "2026-01-02";
	out->subject = "subject <script>alert(4)</script>";
	out->reviewers = "";
	out->unreviewed = 1;
}

/* Every lr-ref link names an id of the page. */
static void refs_resolve(const char *html)
{
	const char *p = html, *key = "class=\"lr-ref\" href=\"#";
	int n = 0;
	while ((p = strstr(p, key)) != NULL) {
		char want[80];
		size_t len;
		p += strlen(key);
		len = strcspn(p, "\"");
		assert_true(len < 60);
		snprintf(want, sizeof want, " id=\"%.*s\"", (int)len, p);
		if (!strstr(html, want))
			fail_msg("lr-ref #%.*s resolves to nothing", (int)len, p);
		n++;
	}
	assert_true(n >= 10);
}

static void test_weave__book(void **state)
{
	frontend fe;
	char path[128];
	char *paths[1];
	wv_evidence ev;
	wv_example ex[1];
	wv_book bk;
	diag_ctx wd;
	const char *idx, *src;
	size_t i;
	(void)state;

	put_file("book.md", book_md);
	put_file("src.txt", src_txt);
	snprintf(path, sizeof path, "%s/book.md", dir);
	paths[0] = path;
	memset(&fe, 0, sizeof fe);
	assert_int_equal(fe_run(&fe, 1, paths), 0);
	memset(&ev, 0, sizeof ev);
	ev.name = "book";
	for (i = 0; i < fe.rs.decls.len; i++)
		if (((const decl *)fe.rs.decls.items[i])->kind == D_EXAMPLE)
			ex[0].example = fe.rs.decls.items[i];
	ex[0].passed = 0;
	ev.examples = ex;
	ev.nexamples = 1;
	ev.findings_why = "verify <not> run";
	ev.change = change;
	diag_init(&wd, &fe.a);
	assert_int_equal(wv_render(&bk, &fe.rs, &ev, &wd), 0);
	assert_int_equal(bk.npages, 2);
	assert_string_equal(bk.pages[0].name, "index.html");
	assert_string_equal(bk.pages[1].name, "sources/src.html");
	idx = bk.pages[0].html.data;
	src = bk.pages[1].html.data;

	/* Escaping: the page's own <script> and </style> only, once each. */
	assert_int_equal(count(idx, "<script"), 1);
	assert_int_equal(count(idx, "</style>"), 1);
	assert_int_equal(count(src, "<script"), 1);
	assert_int_equal(count(src, "</style>"), 1);
	assert_non_null(strstr(idx, "first &lt;i&gt;rule&lt;/i&gt;"));
	assert_non_null(strstr(idx, "subject &lt;script&gt;alert(4)&lt;/script&gt;"));
	assert_non_null(strstr(idx, "<!-- raw HTML omitted -->"));
	assert_null(strstr(idx, "<b>raw"));
	assert_null(strstr(idx, "href=\"javascript"));
	assert_null(strstr(idx, "href=\"JaVaScRiPt"));
	assert_non_null(strstr(idx, "<a href=\"https://example.org\">good</a>"));
	assert_non_null(strstr(idx, "<span class=\"lr-url lr-refused\">javascript:alert(3)"));
	assert_int_equal(wd.nwarnings, 1);
	assert_string_equal(((const diag *)wd.items.items[0])->id, "weave-url");
	assert_non_null(strstr(idx, "<html lang=\"en\">"));

	/* Anchors and the summary. */
	assert_int_equal(count(idx, "<article class=\"lr-rule\" id=\"R1\" data-rule=\"R1\">"), 1);
	assert_int_equal(count(idx, "<article class=\"lr-rule\" id=\"R2\" data-rule=\"R2\">"), 1);
	assert_int_equal(count(idx, "<tr data-rule="), 2);
	assert_true(strstr(idx, "<tr data-rule=\"R1\">") < strstr(idx, "<tr data-rule=\"R2\">"));
	assert_int_equal(count(idx, " id=\"S\""), 1);
	assert_int_equal(count(idx, " id=\"ex1\""), 1);
	refs_resolve(idx);

	/* Citations: two linked to marks, one without a stored text. */
	assert_int_equal(count(idx, "<a class=\"lr-cite\" href=\"sources/src.html#q-1\">"), 1);
	assert_int_equal(count(idx, "<a class=\"lr-cite\" href=\"sources/src.html#q-2\">"), 1);
	assert_int_equal(count(idx, "<span class=\"lr-cite lr-nostore\">"), 1);
	assert_non_null(strstr(src, "<mark class=\"lr-passage\" id=\"q-1\">alpha\n  beta</mark> gamma."));
	assert_non_null(strstr(src, "<mark class=\"lr-passage\" id=\"q-2\">&lt;/style&gt;&lt;script&gt;x&lt;/script&gt;</mark>"));

	/* Evidence, Chinese, the form. */
	assert_non_null(strstr(idx, "<li class=\"lr-example\" data-status=\"fail\">"));
	assert_non_null(strstr(idx, "verify &lt;not&gt; run"));
	assert_int_equal(count(idx, "class=\"lr-change\""), 2);
	assert_non_null(strstr(idx, "<p><span lang=\"zh\">中文段落，骨保护治疗。</span></p>"));
	assert_non_null(strstr(idx, "<input type=\"checkbox\" data-type=\"bool\" data-state=\"missing\" id=\"lr-try-b\" name=\"b\">"));
	assert_non_null(strstr(idx, "<select data-type=\"enum\" id=\"lr-try-e\" name=\"e\"><option value=\"\">missing</option>"));
	assert_non_null(strstr(idx, "dataset.lrReady=\"1\";\n</script>"));
	wv_book_free(&bk);
	fe_free(&fe);
}

/* ---- writing the directory ------------------------------------------------------------ */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc((size_t)n + 1, 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Entries of dir whose name starts with prefix. */
static int entries(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void test_weave__write_dir(void **state)
{
	wv_page pages[2];
	wv_book bk;
	char out[128], idx[128], why[256], *got;
	char n0[] = "index.html", n1[] = "sources/a.html";
	(void)state;

	memset(pages, 0, sizeof pages);
	pages[0].name = n0;
	wv_put(&pages[0].html, "first");
	pages[1].name = n1;
	wv_put(&pages[1].html, "a");
	bk.pages = pages;
	bk.npages = 2;
	snprintf(out, sizeof out, "%s/book", dir);
	snprintf(idx, sizeof idx, "%s/book/index.html", dir);
	assert_int_equal(wv_write_dir(&bk, out, 0, why, sizeof why), 0);
	got = slurp(idx);
	assert_string_equal(got, "first");
	free(got);

	/* A failure half-way leaves the previous book whole and no temporary. */
	pages[0].html.len = 0;
	wv_put(&pages[0].html, "second");
	assert_int_equal(wv_write_dir(&bk, out, 1, why, sizeof why), -1);
	assert_non_null(strstr(why, "injected failure"));
	got = slurp(idx);
	assert_string_equal(got, "first");
	free(got);
	assert_int_equal(entries("book."), 0);

	/* A previous book is replaced. */
	assert_int_equal(wv_write_dir(&bk, out, 0, why, sizeof why), 0);
	got = slurp(idx);
	assert_string_equal(got, "second");
	free(got);
	assert_int_equal(entries("book."), 0);

	/* A directory weave did not write is not touched. */
	snprintf(out, sizeof out, "%s/mine", dir);
	assert_int_equal(mkdir(out, 0777), 0);
	put_file("mine/notes.txt", "keep");
	assert_int_equal(wv_write_dir(&bk, out, 0, why, sizeof why), -1);
	assert_non_null(strstr(why, "not written by litrule weave"));
	snprintf(idx, sizeof idx, "%s/mine/notes.txt", dir);
	got = slurp(idx);
	assert_string_equal(got, "keep");
	free(got);
	assert_int_equal(entries("mine."), 0);

	/* A parent that is a file: nothing can be created. */
	put_file("plain", "x");
	snprintf(out, sizeof out, "%s/plain/book", dir);
	assert_int_equal(wv_write_dir(&bk, out, 0, why, sizeof why), -1);
	wv_buf_free(&pages[0].html);
	wv_buf_free(&pages[1].html);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s", "/tmp/test_weave.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weave__escape),
		cmocka_unit_test(test_weave__cjk_spans),
		cmocka_unit_test(test_weave__quote_find),
		cmocka_unit_test_setup_teardown(test_weave__book, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weave__write_dir, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
