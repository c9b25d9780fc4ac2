/*
** audit_fixture.h: temporary git repositories for the audit unit tests
** (tests/unit/test_audit_*.c).  Repositories are built with the git
** command line under a private directory (mkdtemp under $TMPDIR) whose
** path is also $HOME, so neither git nor libgit2 reads the user's own
** configuration; authors and dates are fixed, so commit ids are the
** same on every run.  fx_* functions abort the test (cmocka fail) on
** any unexpected failure.
*/
#ifndef AUDIT_FIXTURE_H
#define AUDIT_FIXTURE_H

#include <stddef.h>

/* Creates the scratch root and points HOME at it; call before
** git_libgit2_init.  Returns the root (static storage). */
const char *fx_init(void);

/* Removes the scratch root. */
void fx_cleanup(void);

/* A path under the scratch root (static storage, 8 rotating slots). */
const char *fx_path(const char *name);

/* Runs a shell command (printf format) and returns its exit status. */
int fx_sh(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Runs a shell command that must succeed; returns its stdout with the
** final newline removed (malloc'd). */
char *fx_out(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Writes a file (creating directories). */
void fx_write(const char *path, const char *content);

/* Reads a whole file (malloc'd, NUL-terminated); NULL if absent. */
char *fx_read(const char *path, size_t *size);

/* Commits everything in `repo` as `who` (Alice, Bob, Carol: e-mail
** who@example.org in lower case) at `when` (seconds, UTC) with the
** message written verbatim (no cleanup), and returns the commit's hex
** id (malloc'd). */
char *fx_commit(const char *repo, const char *who, long when, const char *msg);

/* What must never change: `git status --porcelain`, the bytes of
** .git/index and .git/HEAD, and every branch (malloc'd text). */
char *fx_snapshot(const char *repo);

/* The standard fixture: `repo` with rules/x.md (16 lines, three rules)
** changed by Alice, Bob and Carol, plus rules/sub/y.md, rules/notes.txt
** and README.md.  ids[0..4] receive the five commits (malloc'd):
**   0 Alice 2024-01-23 "Add rules R1-R3"        (x.md, sub/y.md, notes.txt, README.md)
**   1 Bob   2024-02-01 "R2: raise eGFR threshold"    line 10; Reviewed-by Carol
**   2 Carol 2024-02-03 "R3: fix the dose"            line 15; Reviewed-by herself
**   3 Alice 2024-02-09 "R1: reword"                  line 6; CRLF message,
**                      Reviewed-by Bob folded over two lines
**   4 Bob   2024-02-20 "Reorganise"                  line 3; deletes sub/y.md;
**                      adds symlink rules/link.md and gitlink rules/vendor */
void fx_rules_repo(const char *repo, char *ids[5]);

#endif
