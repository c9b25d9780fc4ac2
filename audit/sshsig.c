/*
** sshsig.c: signing with `ssh-keygen -Y sign -n git` (see sshsig.h).
** The payload goes to a private temporary directory (mkdtemp, mode
** 0700) because ssh-keygen signs files, writing FILE.sig next to them.
*/
#include "sshsig.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct {
	char dir[4096];
	char data[4096 + 16];
	char sig[4096 + 16];
	char err[4096 + 16];
} sig_paths;

static int paths_make(sig_paths *p)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(p->dir, sizeof p->dir, "%s/litrule-sign.XXXXXX", tmp) >=
	    sizeof p->dir || !mkdtemp(p->dir))
		return au_error_set(AU_ERROR, "cannot create a temporary directory in %s",
				    tmp);
	snprintf(p->data, sizeof p->data, "%s/commit", p->dir);
	snprintf(p->sig, sizeof p->sig, "%s/commit.sig", p->dir);
	snprintf(p->err, sizeof p->err, "%s/stderr", p->dir);
	return 0;
}

static void paths_remove(const sig_paths *p)
{
	unlink(p->data);
	unlink(p->sig);
	unlink(p->err);
	rmdir(p->dir);
}

/* Reads a whole small file; *out NUL-terminated, the caller's. */
static int slurp(char **out, size_t *size, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	*out = NULL;
	if (!f)
		return -1;
	do {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
			cap += 8192;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*size = n;
	return 0;
}

int au_sshsig_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Runs ssh-keygen -Y sign; its stdin is /dev/null (never a prompt),
** stderr goes to p->err.  Returns the exit status, or -1. */
int au_sshsig_run(char *const argv[], const char *in, const char *out, const char *err)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (err)
		posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	else
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	rc = posix_spawnp(&pid, "ssh-keygen", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_keygen(const sig_paths *p, const char *key)
{
	/* posix_spawn wants char *const[]: writable copies of the words */
	char a0[] = "ssh-keygen", a1[] = "-q", a2[] = "-Y", a3[] = "sign";
	char a4[] = "-n", a5[] = "git", a6[] = "-f";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, NULL, NULL, NULL };

	argv[7] = (char *)key;
	argv[8] = (char *)p->data;
	return au_sshsig_run(argv, "/dev/null", "/dev/null", p->err);
}

static int keygen_error(const sig_paths *p, const char *key, int status)
{
	char *err = NULL;
	size_t n = 0;
	int rc;

	if (status < 0)
		return au_error_set(AU_ERROR, "cannot run ssh-keygen to sign with '%s'",
				    key);
	if (slurp(&err, &n, p->err) == 0)
		err[strcspn(err, "\r\n")] = '\0';
	rc = au_error_set(AU_ERROR,
			  "ssh-keygen -Y sign with '%s' failed (exit %d)%s%s%s", key,
			  status, err && *err ? ": " : "", err ? err : "",
			  status == 255 ? " (a passphrase key needs ssh-agent)" : "");
	free(err);
	return rc;
}

int au_sshsig_sign(char **armored, const char *key, const void *data,
		   size_t size)
{
	sig_paths p;
	size_t n = 0;
	int rc, status;

	*armored = NULL;
	if ((rc = paths_make(&p)) < 0)
		return rc;
	if (au_sshsig_write_file(p.data, data, size) < 0)
		rc = au_error_set(AU_ERROR, "cannot write %s", p.data);
	else if ((status = run_keygen(&p, key)) != 0)
		rc = keygen_error(&p, key, status);
	else if (slurp(armored, &n, p.sig) < 0)
		rc = au_error_set(AU_ERROR, "ssh-keygen wrote no signature");
	else if (n > 0 && (*armored)[n - 1] == '\n')
		(*armored)[n - 1] = '\0';   /* §4: strip the final LF */
	paths_remove(&p);
	return rc;
}
