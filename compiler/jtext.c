/*
** jtext.c: JSON strings from bytes that may not be UTF-8 (see jtext.h).
*/
#include "jtext.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0: shortest
 * form only, no surrogates, at most U+10FFFF (what jansson accepts). */
size_t jtext_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

json_t *jtext_string(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i, k = 0;
	char *out;
	json_t *j;
	static const char hex[] = "0123456789ABCDEF";

	if (!s)
		return NULL;
	if ((j = json_string(s)) != NULL)
		return j;
	n = strlen(s);
	if (!(out = malloc(4 * n + 1)))
		return NULL;
	for (i = 0; i < n;) {
		size_t l = jtext_utf8_len(u + i, n - i);
		if (l) {
			memcpy(out + k, s + i, l);
			k += l;
			i += l;
			continue;
		}
		out[k++] = '\\';
		out[k++] = 'x';
		out[k++] = hex[u[i] >> 4];
		out[k++] = hex[u[i] & 15];
		i++;
	}
	out[k] = '\0';
	j = json_string(out);
	free(out);
	return j;
}
