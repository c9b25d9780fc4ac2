/*
** audit_fixture.c: temporary git repositories for the audit unit tests
** (see audit_fixture.h).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_fixture.h"

static char fx_root[512];

const char *fx_init(void)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(fx_root, sizeof fx_root, "%s/litrule-audit-test.XXXXXX", tmp);
	if (!mkdtemp(fx_root))
		fail_msg("mkdtemp %s failed", fx_root);
	/* Isolate git and libgit2 from the user's configuration. */
	setenv("HOME", fx_root, 1);
	setenv("XDG_CONFIG_HOME", fx_root, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("SOURCE_DATE_EPOCH");
	/* No sample hooks in every repository: fewer files, faster tests. */
	if (fx_sh("mkdir -p '%s/template'", fx_root) != 0)
		fail_msg("mkdir %s/template failed", fx_root);
	setenv("GIT_TEMPLATE_DIR", fx_path("template"), 1);
	return fx_root;
}

void fx_cleanup(void)
{
	if (fx_root[0])
		fx_sh("rm -rf '%s'", fx_root);
	fx_root[0] = '\0';
}

const char *fx_path(const char *name)
{
	static char slots[8][1024];
	static int next;
	char *p = slots[next++ % 8];

	snprintf(p, sizeof slots[0], "%s/%s", fx_root, name);
	return p;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

int fx_sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int st;

	va_start(ap, fmt);
	cmd = vformat(fmt, ap);
	va_end(ap);
	st = system(cmd);
	free(cmd);
	return st == -1 ? -1 : (st >> 8) & 0xff;
}

char *fx_out(const char *fmt, ...)
{
	va_list ap;
	char *cmd, *buf = NULL;
	size_t n = 0, cap = 0, got;
	FILE *p;
	int st;

	va_start(ap, fmt);
	cmd = vformat(fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	do {
		if (cap - n < 1024) {
			cap += 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, p);
		n += got;
	} while (got > 0);
	st = pclose(p);
	if (st != 0)
		fail_msg("command failed (%d): %s", st, cmd);
	free(cmd);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

void fx_write(const char *path, const char *content)
{
	FILE *f;

	assert_int_equal(fx_sh("mkdir -p \"$(dirname '%s')\"", path), 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

char *fx_read(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	if (size)
		*size = (size_t)n;
	return buf;
}

char *fx_commit(const char *repo, const char *who, long when, const char *msg)
{
	char lower[32];
	size_t i;

	for (i = 0; who[i] && i + 1 < sizeof lower; i++)
		lower[i] = (char)(who[i] | 0x20);
	lower[i] = '\0';
	fx_write(fx_path("msg.txt"), msg);
	assert_int_equal(fx_sh("cd '%s' && git add -A && "
			       "GIT_AUTHOR_DATE='@%ld +0100' GIT_COMMITTER_DATE='@%ld +0100' "
			       "git -c user.name=%s -c user.email=%s@example.org "
			       "commit -q --cleanup=verbatim -F '%s'",
			       repo, when, when, who, lower, fx_path("msg.txt")), 0);
	return fx_out("git -C '%s' rev-parse HEAD", repo);
}

char *fx_snapshot(const char *repo)
{
	/* --no-optional-locks: git status must not refresh the index
	** itself, or it would hide (or cause) a change of its bytes. */
	return fx_out("cd '%s' && git --no-optional-locks status --porcelain=v1 -uall "
		      "&& sha256sum .git/index .git/HEAD && git for-each-ref refs/heads",
		      repo);
}

static const char x_v1[] =
	"# X rules\n"          /* 1 */
	"\n"                   /* 2 */
	"## R1\n"              /* 3 */
	"```rule\n"            /* 4 */
	"r1 line a\n"          /* 5 */
	"r1 line b\n"          /* 6 */
	"```\n"                /* 7 */
	"## R2\n"              /* 8 */
	"```rule\n"            /* 9 */
	"r2 egfr < 30\n"       /* 10 */
	"```\n"                /* 11 */
	"## R3\n"              /* 12 */
	"```rule\n"            /* 13 */
	"r3 line a\n"          /* 14 */
	"r3 dose 60 mg\n"      /* 15 */
	"```\n";               /* 16 */

static void x_with(const char *repo, const char *a3, const char *a6,
		   const char *a10, const char *a15)
{
	char buf[1024], path[1024];

	snprintf(buf, sizeof buf,
		 "# X rules\n\n%s\n```rule\nr1 line a\n%s\n```\n## R2\n```rule\n"
		 "%s\n```\n## R3\n```rule\nr3 line a\n%s\n```\n",
		 a3, a6, a10, a15);
	snprintf(path, sizeof path, "%s/rules/x.md", repo);
	fx_write(path, buf);
}

void fx_rules_repo(const char *repo, char *ids[5])
{
	char p[1024];

	assert_int_equal(fx_sh("git init -q -b main '%s'", repo), 0);
	snprintf(p, sizeof p, "%s/rules/x.md", repo);
	fx_write(p, x_v1);
	snprintf(p, sizeof p, "%s/rules/sub/y.md", repo);
	fx_write(p, "# Y\n");
	snprintf(p, sizeof p, "%s/rules/notes.txt", repo);
	fx_write(p, "not a rule file\n");
	snprintf(p, sizeof p, "%s/README.md", repo);
	fx_write(p, "readme\n");
	ids[0] = fx_commit(repo, "Alice", 1706000000L, "Add rules R1-R3\n");

	x_with(repo, "## R1", "r1 line b", "r2 egfr < 45", "r3 dose 60 mg");
	ids[1] = fx_commit(repo, "Bob", 1706781600L,
			   "R2: raise eGFR threshold\n\nThe guideline changed.\n\n"
			   "Reviewed-by: Carol <carol@example.org>\n");

	x_with(repo, "## R1", "r1 line b", "r2 egfr < 45", "r3 dose 30 mg");
	ids[2] = fx_commit(repo, "Carol", 1706950000L,
			   "R3: fix the dose\n\nReviewed-by: carol <CAROL@Example.org>\n");

	x_with(repo, "## R1", "r1 reworded", "r2 egfr < 45", "r3 dose 30 mg");
	ids[3] = fx_commit(repo, "Alice", 1707480000L,
			   "R1: reword\r\n\r\nClearer.\r\n\r\n"
			   "Reviewed-by: Bob  \r\n   <bob@example.org>  \r\n"
			   "Signed-off-by: Alice <alice@example.org>\r\n");

	x_with(repo, "## R1 (renamed)", "r1 reworded", "r2 egfr < 45", "r3 dose 30 mg");
	assert_int_equal(fx_sh("cd '%s' && git rm -q rules/sub/y.md && "
			       "ln -s x.md rules/link.md && mkdir rules/vendor && "
			       "git update-index --add --cacheinfo 160000,%s,rules/vendor",
			       repo, ids[0]), 0);
	ids[4] = fx_commit(repo, "Bob", 1708420000L, "Reorganise\n");
}
