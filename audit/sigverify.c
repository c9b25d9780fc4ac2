/*
** sigverify.c: SSH signature checks with ssh-keygen (sigverify.h).  The
** signature and the signed bytes go to a private temporary directory
** (mkdtemp) because ssh-keygen reads them from files; stdin of the
** verify step is the signed data, as git passes it.
*/
#include "sigverify.h"
#include "sshsig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	char dir[4096];
	char data[4096 + 16], sig[4096 + 16], out[4096 + 16];
} vpaths;

/* Runs ssh-keygen with argv; stdin from `in`, stdout and stderr to
** p->out.  Returns the exit status, or -1. */
static int keygen(char **argv, const char *in, const vpaths *p)
{
	return au_sshsig_run(argv, in, p->out, NULL);
}

/* The first line of p->out (malloc'd), or NULL. */
static char *first_line(const vpaths *p)
{
	char line[1024];
	FILE *f = fopen(p->out, "r");
	char *s = NULL;

	if (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		s = strdup(line);
	}
	if (f)
		fclose(f);
	return s;
}

int au_sigverify(char **principal, const char *allowed, const char *sig, size_t siglen,
		 const void *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char a0[] = "ssh-keygen", y[] = "-Y", fp[] = "find-principals", vf[] = "verify", s[] = "-s",
	     f[] = "-f", n[] = "-n", git[] = "git", i[] = "-I";
	char *argv[12];
	char *who = NULL, *why;
	vpaths p;
	int rc = 0, st;

	*principal = NULL;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(p.dir, sizeof p.dir, "%s/litrule-verify.XXXXXX", tmp) >= sizeof p.dir ||
	    !mkdtemp(p.dir))
		return au_error_set(AU_ERROR, "cannot create a temporary directory in %s", tmp);
	snprintf(p.data, sizeof p.data, "%s/data", p.dir);
	snprintf(p.sig, sizeof p.sig, "%s/data.sig", p.dir);
	snprintf(p.out, sizeof p.out, "%s/out", p.dir);
	if (au_sshsig_write_file(p.data, data, size) || au_sshsig_write_file(p.sig, sig, siglen)) {
		rc = au_error_set(AU_ERROR, "cannot write to %s", p.dir);
		goto done;
	}
	/* Git appends the LF that libgit2's header drops (AUDIT-LIBGIT2.md §4). */
	{
		FILE *fs = fopen(p.sig, "ab");
		if (fs) {
			fputc('\n', fs);
			fclose(fs);
		}
	}
	argv[0] = a0, argv[1] = y, argv[2] = fp, argv[3] = s, argv[4] = p.sig, argv[5] = f;
	argv[6] = (char *)allowed, argv[7] = NULL;
	st = keygen(argv, "/dev/null", &p);
	who = first_line(&p);
	if (st != 0 || !who || !*who) {
		rc = au_error_set(AU_EINVALID, "its signature is by no key that %s allows", allowed);
		goto done;
	}
	argv[2] = vf, argv[3] = f, argv[4] = (char *)allowed, argv[5] = i, argv[6] = who, argv[7] = n;
	argv[8] = git, argv[9] = s, argv[10] = p.sig, argv[11] = NULL;
	if ((st = keygen(argv, p.data, &p)) != 0) {
		why = first_line(&p);
		rc = au_error_set(AU_EINVALID, "its signature does not verify (%s)", why ? why : "ssh-keygen failed");
		free(why);
		goto done;
	}
	*principal = who;
	who = NULL;
done:
	free(who);
	unlink(p.data);
	unlink(p.sig);
	unlink(p.out);
	rmdir(p.dir);
	return rc;
}
