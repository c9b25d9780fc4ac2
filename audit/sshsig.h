/*
** sshsig.h: SSH signatures the way git makes them (au_sshsig_*), by
** running `ssh-keygen -Y sign -n git` on the exact bytes to sign.
** Used to sign report commits so that stock `git verify-commit` checks
** them (AUDIT-LIBGIT2.md §4).
*/
#ifndef AU_SSHSIG_H
#define AU_SSHSIG_H

#include <stddef.h>

#include "error.h"

/* Signs `size` bytes of `data` with the SSH key file `key` (a private
** key, or a public key whose private half is in ssh-agent) in the "git"
** namespace.  *armored is the "-----BEGIN SSH SIGNATURE-----" text
** without its final LF (libgit2 would turn that LF into a header line
** holding one space), NUL-terminated, the caller's (free()).
** A passphrase-protected key without an agent fails (no tty): say so. */
int au_sshsig_sign(char **armored, const char *key, const void *data,
		   size_t size);
/* Writes exactly `size` bytes of `data` to a new file `path` (the bytes
** ssh-keygen signs or verifies).  0, or -1 with errno set. */
int au_sshsig_write_file(const char *path, const void *data, size_t size);
/* Runs ssh-keygen with argv (argv[0] "ssh-keygen"): standard input from
** the file `in`, standard output to `out`, standard error to `err` or,
** when err is NULL, to `out` too.  Returns its exit status, or -1 when it
** could not be run. */
int au_sshsig_run(char *const argv[], const char *in, const char *out, const char *err);

#endif
