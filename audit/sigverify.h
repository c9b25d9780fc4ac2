/*
** sigverify.h: checking an SSH signature of a report commit the way
** `git verify-commit` does (au_sigverify_*): `ssh-keygen -Y
** find-principals` names the signer from an allowed-signers file, then
** `ssh-keygen -Y verify -n git` checks the signature over the commit's
** signed bytes (from git_commit_extract_signature).
*/
#ifndef AU_SIGVERIFY_H
#define AU_SIGVERIFY_H

#include <stddef.h>

#include "error.h"

/* 0 when `sig` (the armored "-----BEGIN SSH SIGNATURE-----" text) is a
** valid signature of `size` bytes of `data` in the "git" namespace by a
** key that `allowed` (an allowed-signers file) lists; *principal then
** receives the signer's principal (malloc'd; may be NULL).  Otherwise
** AU_EINVALID with the reason in au_error_last(). */
int au_sigverify(char **principal, const char *allowed, const char *sig, size_t siglen,
		 const void *data, size_t size);

#endif
