/*
** jtext.h: JSON strings from bytes that may not be UTF-8.
**
** jansson's json_string() returns NULL for text that is not valid UTF-8,
** and json_object_set_new() then drops the member without a word: a file
** named with byte 0xFF vanished from every JSON the tool printed.  Every
** JSON string the tool builds from outside text (paths, messages, labels)
** goes through jtext_string instead, which keeps it and writes each byte
** that is not part of valid UTF-8 as the four characters \xHH (upper-case
** hex), as Python's "backslashreplace" error handler does.  Valid text is
** passed through unchanged.
*/
#ifndef LRC_JTEXT_H
#define LRC_JTEXT_H

#include <jansson.h>

/** A new JSON string for s, invalid bytes escaped as \xHH; NULL only when
 ** s is NULL or memory runs out. */
json_t *jtext_string(const char *s);

/** Length of the valid UTF-8 sequence at s (n >= 1 bytes left), or 0 when
 ** it is not one: shortest form, no surrogates, at most U+10FFFF (what
 ** jansson accepts); 1 for ASCII.  The batch reader and printers
 ** (cli/jsonin.c, cli/eb_print.c) check strings with it too. */
size_t jtext_utf8_len(const unsigned char *s, size_t n);

#endif
