/*
** test_audit_chain.c: unit tests for audit/chain.c (au_chain_*): reports
** appended as commits on refs/litrule/audit without touching the work
** tree, index, HEAD or branches; each report records the SHA-256 of the
** previous report.json, and the ref moves by compare-and-swap, so that
** concurrent writers (two forked processes here) never lose a report and
** the chain stays linear.  Each libgit2 race code (GIT_EMODIFIED,
** GIT_EEXISTS, GIT_ELOCKED) is also provoked deterministically from
** inside the build callback.  Signing is checked with stock
** `git verify-commit`.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>
#include <openssl/sha.h>

#include "audit/chain.h"
#include "audit_fixture.h"

#define WRITERS 2
#define PER_WRITER 20

static const char *repo_dir;
static char *head_id;

static int group_setup(void **state)
{
	(void)state;
	fx_init();
	git_libgit2_init();
	repo_dir = strdup(fx_path("r"));
	assert_int_equal(fx_sh("git init -q -b main '%s'", repo_dir), 0);
	fx_write(fx_path("r/rules/x.md"), "# X\n");
	head_id = fx_commit(repo_dir, "Alice", 1706000000L, "Add x\n");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(head_id);
	free((char *)repo_dir);
	fx_cleanup();
	git_libgit2_shutdown();
	return 0;
}

/* ---- the report the tests write --------------------------------------- */

typedef struct {
	int writer, seq;
	const char *intrude;      /* shell command run on the first attempt */
	int calls;
	int fail;                 /* 1: add a bad file name; 2: return an error;
				   * 3: return GIT_EEXISTS; 4: return 1 */
} payload;

static void sha256_hex(char out[65], const void *data, size_t n)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	int i;

	SHA256(data, n, md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static const au_chain_file *file_named(const au_chain_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].name, name) == 0)
			return &r->files[i];
	return NULL;
}

static int build(au_chain_draft *d, const au_chain_report *prev, void *arg)
{
	payload *p = arg;
	char json[512], md[64], prevhash[65] = "null", prevcommit[GIT_OID_HEXSZ + 1] = "null";
	const au_chain_file *pj;
	int rc;

	if (p->calls++ == 0 && p->intrude)
		assert_int_equal(fx_sh("%s", p->intrude), 0);
	if (p->fail == 2)
		return au_error_set(AU_ERROR, "the report could not be built");
	if (p->fail == 3)
		return GIT_EEXISTS;
	if (p->fail == 4)
		return 1;
	if (prev) {
		pj = file_named(prev, "report.json");
		assert_non_null(pj);
		sha256_hex(prevhash, pj->data, pj->size);
		git_oid_tostr(prevcommit, sizeof prevcommit, &prev->commit);
	}
	snprintf(json, sizeof json,
		 "{\"writer\":%d,\"seq\":%d,\"previous\":\"%s\",\"previous_commit\":\"%s\"}\n",
		 p->writer, p->seq, prevhash, prevcommit);
	snprintf(md, sizeof md, "# Report %d/%d\n", p->writer, p->seq);
	if ((rc = au_chain_draft_add(d, "report.md", md, strlen(md))) < 0 ||
	    (rc = au_chain_draft_add(d, "report.json", json, strlen(json))) < 0)
		return rc;
	if (p->fail == 1)
		return au_chain_draft_add(d, "a/b", "x", 1);
	return 0;
}

static void opts_for(au_chain_opts *o)
{
	au_chain_opts_init(o);
	o->committer_name = "litrule audit";
	o->committer_email = "audit@litrule.invalid";
}

static int append(au_repo *r, const au_chain_opts *o, int writer, int seq,
		  au_chain_stats *st)
{
	payload p;
	git_oid id;

	memset(&p, 0, sizeof p);
	p.writer = writer;
	p.seq = seq;
	return au_chain_append(&id, r, o, build, &p, st);
}

/* Checks every link of the chain: each report's "previous" is the
** SHA-256 of its parent's report.json, the first one's is null, no
** merges.  Returns the number of reports. */
static size_t check_links(au_repo *r, const char *ref)
{
	au_chain_report *rep = NULL;
	size_t n = 0, i;
	char want[200], hash[65], hex[GIT_OID_HEXSZ + 1];

	assert_int_equal(au_chain_read(&rep, &n, r, ref), 0);
	for (i = 0; i < n; i++) {
		const au_chain_file *j = file_named(&rep[i], "report.json");

		assert_non_null(j);
		assert_true(rep[i].nparents <= 1);
		if (i + 1 < n) {
			const au_chain_file *pj = file_named(&rep[i + 1], "report.json");

			assert_int_equal(rep[i].nparents, 1);
			assert_true(git_oid_equal(&rep[i].parent, &rep[i + 1].commit));
			sha256_hex(hash, pj->data, pj->size);
			snprintf(want, sizeof want, "\"previous\":\"%s\",\"previous_commit\":\"%s\"",
				 hash, git_oid_tostr(hex, sizeof hex, &rep[i + 1].commit));
		} else {
			assert_int_equal(rep[i].nparents, 0);
			snprintf(want, sizeof want, "\"previous\":\"null\",\"previous_commit\":\"null\"");
		}
		if (!strstr((char *)j->data, want))
			fail_msg("report %zu: %s lacks %s", i, (char *)j->data, want);
	}
	au_chain_reports_free(rep, n);
	return n;
}

/* ---- tests ------------------------------------------------------------ */

static void test_append_and_read_back(void **state)
{
	au_repo *r = NULL;
	au_chain_opts o;
	au_chain_report *rep = NULL;
	size_t n = 0;
	char *before, *after, *s;
	git_oid tip;

	(void)state;
	/* a dirty working tree: modified, staged and untracked files */
	fx_write(fx_path("r/rules/x.md"), "# X changed\n");
	fx_write(fx_path("r/staged.md"), "s\n");
	assert_int_equal(fx_sh("cd '%s' && git add staged.md", repo_dir), 0);
	fx_write(fx_path("r/untracked.md"), "u\n");
	before = fx_snapshot(repo_dir);

	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	assert_int_equal(au_chain_tip(&tip, r, NULL), AU_ENOTFOUND);
	assert_int_equal(au_chain_read(&rep, &n, r, NULL), 0);
	assert_int_equal(n, 0);
	opts_for(&o);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	assert_int_equal(append(r, &o, 0, 1, NULL), 0);
	assert_int_equal(append(r, &o, 0, 2, NULL), 0);
	assert_int_equal(append(r, &o, 0, 3, NULL), 0);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(check_links(r, NULL), 3);

	assert_int_equal(au_chain_read(&rep, &n, r, AU_CHAIN_REF), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rep[0].nfiles, 2);
	assert_string_equal(rep[0].files[0].name, "report.json");
	assert_string_equal(rep[0].files[1].name, "report.md");
	assert_string_equal((char *)rep[0].files[1].data, "# Report 0/3\n");
	assert_string_equal((char *)rep[2].files[1].data, "# Report 0/1\n");
	assert_int_equal(rep[0].time, 1700000000);
	assert_string_equal(rep[0].message, "litrule audit report\n");
	assert_int_equal(au_chain_tip(&tip, r, NULL), 0);
	assert_true(git_oid_equal(&tip, &rep[0].commit));
	au_chain_reports_free(rep, n);
	au_chain_reports_free(NULL, 0);
	au_repo_free(r);

	/* nothing else moved; stock git sees the chain and its reflog */
	after = fx_snapshot(repo_dir);
	assert_string_equal(before, after);
	s = fx_out("git -C '%s' rev-parse HEAD", repo_dir);
	assert_string_equal(s, head_id);
	free(s);
	s = fx_out("git -C '%s' show refs/litrule/audit~2:report.md", repo_dir);
	assert_string_equal(s, "# Report 0/1");
	free(s);
	s = fx_out("git -C '%s' reflog show --format=%%gs refs/litrule/audit | wc -l", repo_dir);
	assert_string_equal(s, "3");
	free(s);
	s = fx_out("git -C '%s' log -g --format='%%gn <%%ge>' -1 refs/litrule/audit", repo_dir);
	assert_string_equal(s, "litrule audit <audit@litrule.invalid>");
	free(s);
	s = fx_out("git -C '%s' log --format='%%an %%ae %%cn %%ct' -1 refs/litrule/audit", repo_dir);
	assert_string_equal(s, "litrule audit audit@litrule.invalid litrule audit 1700000000");
	free(s);
	assert_int_equal(fx_sh("git -C '%s' fsck --strict --no-dangling --no-progress", repo_dir), 0);
	free(before);
	free(after);
	assert_int_equal(fx_sh("cd '%s' && git reset -q && git checkout -q rules/x.md && "
			       "rm staged.md untracked.md", repo_dir), 0);
}

/* The same reports under SOURCE_DATE_EPOCH give the same commits. */
static void test_deterministic(void **state)
{
	char *tips[2];
	int k;

	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	for (k = 0; k < 2; k++) {
		char name[16];
		au_repo *r = NULL;
		au_chain_opts o;

		snprintf(name, sizeof name, "det%d", k);
		assert_int_equal(fx_sh("git init -q '%s'", fx_path(name)), 0);
		assert_int_equal(au_repo_open(&r, fx_path(name)), 0);
		opts_for(&o);
		o.have_time = 1;              /* SOURCE_DATE_EPOCH wins */
		o.time = 12345 + k;
		assert_int_equal(append(r, &o, 7, 1, NULL), 0);
		assert_int_equal(append(r, &o, 7, 2, NULL), 0);
		au_repo_free(r);
		tips[k] = fx_out("git -C '%s' rev-parse refs/litrule/audit", fx_path(name));
	}
	unsetenv("SOURCE_DATE_EPOCH");
	assert_string_equal(tips[0], tips[1]);
	free(tips[0]);
	free(tips[1]);
}

static void test_explicit_time(void **state)
{
	au_repo *r = NULL;
	au_chain_opts o;
	char *s;

	(void)state;
	assert_int_equal(fx_sh("git init -q '%s'", fx_path("time")), 0);
	assert_int_equal(au_repo_open(&r, fx_path("time")), 0);
	opts_for(&o);
	o.have_time = 1;
	o.time = 1712345678;
	o.offset = -300;
	assert_int_equal(append(r, &o, 0, 1, NULL), 0);
	au_repo_free(r);
	s = fx_out("git -C '%s' log -1 --format=%%cd --date=raw refs/litrule/audit",
		   fx_path("time"));
	assert_string_equal(s, "1712345678 -0500");
	free(s);
}

/* Another writer moves the ref while the report is being built: the
** swap fails with GIT_EMODIFIED and the report is rebuilt on the new
** tip. */
static void test_retry_on_modified(void **state)
{
	au_repo *r = NULL;
	au_chain_opts o;
	au_chain_stats st;
	payload p;
	git_oid id;
	char cmd[1024], *intruder, *parent;

	(void)state;
	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	opts_for(&o);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && t=$(git rev-parse refs/litrule/audit) && "
		 "c=$(GIT_COMMITTER_DATE='@1000000000 +0000' git -c user.name=I -c user.email=i@x "
		 "commit-tree -p $t -m intruder $t^{tree}) && "
		 "git update-ref refs/litrule/audit $c $t", repo_dir);
	memset(&p, 0, sizeof p);
	p.writer = 1;
	p.seq = 1;
	p.intrude = cmd;
	assert_int_equal(au_chain_append(&id, r, &o, build, &p, &st), 0);
	assert_int_equal(p.calls, 2);
	assert_int_equal(st.attempts, 2);
	assert_int_equal(st.emodified, 1);
	assert_int_equal(st.elocked + st.eexists, 0);
	au_repo_free(r);
	/* the landed report sits on the intruder's commit */
	intruder = fx_out("git -C '%s' log -1 --format=%%s refs/litrule/audit~1", repo_dir);
	assert_string_equal(intruder, "intruder");
	parent = fx_out("git -C '%s' rev-parse refs/litrule/audit~1", repo_dir);
	{
		char *rep = fx_out("git -C '%s' show refs/litrule/audit:report.json", repo_dir);

		assert_non_null(strstr(rep, parent));
		free(rep);
	}
	free(intruder);
	free(parent);
}

/* Two first reports race: the loser must not overwrite the winner (its
** swap expects "no ref yet" and fails with GIT_EMODIFIED). */
static void test_first_report_race(void **state)
{
	const char *dir = fx_path("exists");
	au_repo *r = NULL;
	au_chain_opts o;
	au_chain_stats st;
	au_chain_report *rep = NULL;
	size_t n = 0;
	payload p;
	git_oid id;
	char cmd[1024], *first;

	(void)state;
	assert_int_equal(fx_sh("git init -q '%s'", dir), 0);
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && b=$(echo '{}' | git hash-object -w --stdin) && "
		 "t=$(printf '100644 blob %%s\\treport.json\\n' $b | git mktree) && "
		 "c=$(GIT_COMMITTER_DATE='@1000000000 +0000' git -c user.name=I -c user.email=i@x "
		 "commit-tree -m first $t) && "
		 "git update-ref refs/litrule/audit $c ''", dir);
	assert_int_equal(au_repo_open(&r, dir), 0);
	opts_for(&o);
	memset(&p, 0, sizeof p);
	p.intrude = cmd;
	assert_int_equal(au_chain_append(&id, r, &o, build, &p, &st), 0);
	assert_int_equal(st.attempts, 2);
	assert_int_equal(st.emodified, 1);
	assert_int_equal(p.calls, 2);
	assert_int_equal(au_chain_read(&rep, &n, r, NULL), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rep[1].message, "first\n");
	first = fx_out("git -C '%s' rev-parse refs/litrule/audit~1", dir);
	assert_non_null(strstr((char *)rep[0].files[0].data, first));
	free(first);
	au_chain_reports_free(rep, n);
	au_repo_free(r);
}

/* A held ref lock gives GIT_ELOCKED: retried with a short sleep, then
** given up after max_attempts. */
static void test_locked(void **state)
{
	au_repo *r = NULL;
	au_chain_opts o;
	au_chain_stats st;
	char lock[1024];

	(void)state;
	snprintf(lock, sizeof lock, "%s/.git/refs/litrule/audit.lock", repo_dir);
	fx_write(lock, "");
	assert_int_equal(au_repo_open(&r, repo_dir), 0);
	opts_for(&o);
	o.max_attempts = 3;
	assert_int_equal(append(r, &o, 2, 1, &st), AU_ECONFLICT);
	{
		char want[2048];

		snprintf(want, sizeof want,
			 "refs/litrule/audit stayed locked for 3 attempts; if no other "
			 "audit is running, remove %s", lock);
		/* libgit2 names the git directory by its real path */
		if (!strstr(au_error_last(), "stayed locked for 3 attempts; if no other "
			    "audit is running, remove ") ||
		    !strstr(au_error_last(), "/.git/refs/litrule/audit.lock"))
			fail_msg("%s, expected %s", au_error_last(), want);
	}
	assert_int_equal(st.elocked, 3);
	unlink(lock);
	assert_int_equal(append(r, &o, 2, 1, &st), 0);
	assert_int_equal(st.attempts, 1);
	au_repo_free(r);
}

/* Two processes append PER_WRITER reports each at the same time. */
static void test_two_processes(void **state)
{
	const char *dir = fx_path("race");
	au_chain_report *rep = NULL;
	pid_t pid[WRITERS];
	size_t n = 0, i;
	int w, status, last[WRITERS], seen = 0;
	au_repo *r = NULL;
	char *s;

	(void)state;
	assert_int_equal(fx_sh("git init -q '%s'", dir), 0);
	for (w = 0; w < WRITERS; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0) {
			au_chain_opts o;
			au_chain_stats st;
			int k, bad = 0;

			opts_for(&o);
			if (au_repo_open(&r, dir) < 0)
				_exit(2);
			unsigned tot[3] = { 0, 0, 0 };
			char name[32];
			FILE *f;

			for (k = 1; k <= PER_WRITER && !bad; k++) {
				bad = append(r, &o, w + 1, k, &st) < 0;
				tot[0] += st.emodified;
				tot[1] += st.elocked;
				tot[2] += st.eexists;
			}
			/* the retry counts, for the parent to show */
			snprintf(name, sizeof name, "race-stats-%d", w);
			if ((f = fopen(fx_path(name), "w")) != NULL) {
				fprintf(f, "writer %d: %u EMODIFIED, %u ELOCKED, %u EEXISTS retries",
					w + 1, tot[0], tot[1], tot[2]);
				fclose(f);
			}
			au_repo_free(r);
			git_libgit2_shutdown();
			_exit(bad);
		}
	}
	for (w = 0; w < WRITERS; w++) {
		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	for (w = 0; w < WRITERS; w++) {
		char name[32], *text;

		snprintf(name, sizeof name, "race-stats-%d", w);
		text = fx_read(fx_path(name), NULL);
		assert_non_null(text);
		print_message("%s\n", text);
		free(text);
	}
	assert_int_equal(au_repo_open(&r, dir), 0);
	assert_int_equal(check_links(r, NULL), WRITERS * PER_WRITER);
	/* every report landed once, each writer's in its own order */
	assert_int_equal(au_chain_read(&rep, &n, r, NULL), 0);
	for (w = 0; w < WRITERS; w++)
		last[w] = PER_WRITER + 1;
	for (i = 0; i < n; i++) {
		int wr, sq;

		assert_int_equal(sscanf((char *)rep[i].files[0].data,
					"{\"writer\":%d,\"seq\":%d", &wr, &sq), 2);
		assert_true(wr >= 1 && wr <= WRITERS);
		assert_int_equal(sq, last[wr - 1] - 1);   /* tip first: descending */
		last[wr - 1] = sq;
		seen++;
	}
	assert_int_equal(seen, WRITERS * PER_WRITER);
	au_chain_reports_free(rep, n);
	au_repo_free(r);
	s = fx_out("git -C '%s' rev-list --merges --count refs/litrule/audit", dir);
	assert_string_equal(s, "0");
	free(s);
	s = fx_out("git -C '%s' rev-list --count refs/litrule/audit", dir);
	assert_string_equal(s, "40");
	free(s);
	s = fx_out("git -C '%s' reflog show refs/litrule/audit | wc -l", dir);
	assert_string_equal(s, "40");
	free(s);
}

/* Two processes released together each append a FIRST report, ROUNDS
** times over: both must land.  (git_reference_create with force=0 tests
** for the ref before locking it: with it, one report was lost within
** the first three rounds in each of 3 runs.) */
#define ROUNDS 10
static void test_first_reports_racing(void **state)
{
	const char *dir = fx_path("first");
	int round, w, status, go[2];
	pid_t pid[WRITERS];
	au_repo *r = NULL;

	(void)state;
	assert_int_equal(fx_sh("git init -q '%s'", dir), 0);
	for (round = 0; round < ROUNDS; round++) {
		au_chain_report *rep = NULL;
		char ref[64];
		size_t n = 0;

		/* one repository, a fresh ref per round */
		snprintf(ref, sizeof ref, "refs/litrule/round%d", round);
		assert_int_equal(pipe(go), 0);
		for (w = 0; w < WRITERS; w++) {
			pid[w] = fork();
			assert_true(pid[w] >= 0);
			if (pid[w] == 0) {
				au_chain_opts o;
				char c;
				int bad;

				close(go[1]);
				opts_for(&o);
				o.ref = ref;
				if (au_repo_open(&r, dir) < 0)
					_exit(2);
				/* wait until the parent closes the pipe: both start together */
				bad = read(go[0], &c, 1) != 0;
				bad = bad || append(r, &o, w + 1, 1, NULL) < 0;
				au_repo_free(r);
				git_libgit2_shutdown();
				_exit(bad);
			}
		}
		close(go[0]);
		close(go[1]);
		for (w = 0; w < WRITERS; w++) {
			assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		assert_int_equal(au_repo_open(&r, dir), 0);
		assert_int_equal(au_chain_read(&rep, &n, r, ref), 0);
		if (n != 2)
			fail_msg("round %d: %zu reports, expected 2", round, n);
		au_chain_reports_free(rep, n);
		au_repo_free(r);
	}
}

static void test_bad_input(void **state)
{
	const char *dir = fx_path("bad");
	au_repo *r = NULL;
	au_chain_opts o;
	au_chain_report *rep = NULL;
	payload p;
	size_t n = 0;
	git_oid id, tip;
	char *before;

	(void)state;
	assert_int_equal(fx_sh("git init -q '%s'", dir), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	au_chain_opts_init(&o);
	assert_int_equal(append(r, &o, 0, 1, NULL), AU_EINVALID);
	assert_string_equal(au_error_last(),
			    "an audit report needs a committer name and e-mail");
	opts_for(&o);
	setenv("SOURCE_DATE_EPOCH", "soon", 1);
	assert_int_equal(append(r, &o, 0, 1, NULL), AU_EINVALID);
	assert_string_equal(au_error_last(),
			    "SOURCE_DATE_EPOCH='soon' is not a number of seconds");
	unsetenv("SOURCE_DATE_EPOCH");
	memset(&p, 0, sizeof p);
	p.fail = 1;
	assert_int_equal(au_chain_append(&id, r, &o, build, &p, NULL), AU_EINVALID);
	assert_string_equal(au_error_last(), "'a/b' is not a valid report file name");
	p.fail = 2;
	assert_int_equal(au_chain_append(&id, r, &o, build, &p, NULL), AU_ERROR);
	assert_string_equal(au_error_last(), "the report could not be built");
	/* a callback's own code is returned as is, even one that equals a
	** libgit2 race code (GIT_EEXISTS is -4): no retry */
	p.fail = 3;
	p.calls = 0;
	assert_int_equal(au_chain_append(&id, r, &o, build, &p, NULL), GIT_EEXISTS);
	assert_int_equal(p.calls, 1);
	assert_int_equal(au_chain_append(&id, r, &o, NULL, &p, NULL), AU_EINVALID);
	p.fail = 4;                   /* a positive code is no success */
	assert_int_equal(au_chain_append(&id, r, &o, build, &p, NULL), AU_EINVALID);
	assert_string_equal(au_error_last(), "the report builder returned 1");
	assert_int_equal(au_chain_tip(&tip, r, NULL), AU_ENOTFOUND);  /* nothing written */

	/* another ref name */
	o.ref = "refs/litrule/other";
	assert_int_equal(append(r, &o, 0, 1, NULL), 0);
	assert_int_equal(check_links(r, "refs/litrule/other"), 1);
	o.ref = NULL;

	/* the audit ref force-moved to a blob */
	assert_int_equal(fx_sh("cd '%s' && git update-ref refs/litrule/audit "
			       "$(echo junk | git hash-object -w --stdin)", dir), 0);
	before = fx_out("git -C '%s' rev-parse refs/litrule/audit", dir);
	assert_int_equal(append(r, &o, 0, 1, NULL), AU_EBADREV);
	if (!strstr(au_error_last(), "is not a commit (corrupted or force-moved audit ref?)"))
		fail_msg("%s", au_error_last());
	assert_int_equal(au_chain_read(&rep, &n, r, NULL), AU_EBADREV);
	assert_null(rep);
	{
		char *now = fx_out("git -C '%s' rev-parse refs/litrule/audit", dir);

		assert_string_equal(before, now);
		free(now);
	}
	free(before);
	au_repo_free(r);
}

static void test_signed_report(void **state)
{
	const char *dir = fx_path("signed");
	au_repo *r = NULL;
	au_chain_opts o;
	char key[1024], allowed[1024], *body, *tip;

	(void)state;
	if (fx_sh("command -v ssh-keygen >/dev/null") != 0)
		skip();
	snprintf(key, sizeof key, "%s", fx_path("key"));
	snprintf(allowed, sizeof allowed, "%s", fx_path("allowed_signers"));
	assert_int_equal(fx_sh("git init -q '%s' && ssh-keygen -q -t ed25519 -N '' -C audit -f '%s' && "
			       "printf 'audit@litrule.invalid namespaces=\"git\" %%s\\n' "
			       "\"$(cut -d' ' -f1,2 '%s.pub')\" > '%s'",
			       dir, key, key, allowed), 0);
	assert_int_equal(au_repo_open(&r, dir), 0);
	opts_for(&o);
	o.ssh_key = key;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	assert_int_equal(append(r, &o, 0, 1, NULL), 0);
	assert_int_equal(append(r, &o, 0, 2, NULL), 0);
	/* a key that does not exist: a clear error, the ref unchanged */
	tip = fx_out("git -C '%s' rev-parse refs/litrule/audit", dir);
	o.ssh_key = fx_path("nokey");
	assert_int_equal(append(r, &o, 0, 3, NULL), AU_ERROR);
	if (!strstr(au_error_last(), "ssh-keygen -Y sign with '"))
		fail_msg("%s", au_error_last());
	unsetenv("SOURCE_DATE_EPOCH");
	au_repo_free(r);
	{
		char *now = fx_out("git -C '%s' rev-parse refs/litrule/audit", dir);

		assert_string_equal(tip, now);
		free(now);
	}
	assert_int_equal(fx_sh("git -C '%s' -c gpg.ssh.allowedSignersFile='%s' "
			       "verify-commit refs/litrule/audit 2>/dev/null", dir, allowed), 0);
	assert_int_equal(fx_sh("git -C '%s' -c gpg.ssh.allowedSignersFile='%s' "
			       "verify-commit refs/litrule/audit~1 2>/dev/null", dir, allowed), 0);
	body = fx_out("git -C '%s' -c gpg.ssh.allowedSignersFile='%s' log --format=%%G? "
		      "refs/litrule/audit | tr -d '\\n'", dir, allowed);
	assert_string_equal(body, "GG");
	free(body);
	/* no header line holding a lone space (a signature's final LF) */
	body = fx_out("git -C '%s' cat-file commit refs/litrule/audit", dir);
	assert_non_null(strstr(body, "\ngpgsig -----BEGIN SSH SIGNATURE-----\n"));
	assert_null(strstr(body, "\n \n"));
	assert_non_null(strstr(body, "-----END SSH SIGNATURE-----\n\nlitrule audit report"));
	free(body);
	free(tip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_read_back),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_explicit_time),
		cmocka_unit_test(test_retry_on_modified),
		cmocka_unit_test(test_first_report_race),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_two_processes),
		cmocka_unit_test(test_first_reports_racing),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_signed_report),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
