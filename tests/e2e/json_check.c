/*
** json_check.c: validates `litrule check --diagnostics=json` output for
** tests/e2e/run.sh (no jq needed: jansson is already a dependency).
**
**   json_check [MIN_ITEMS] < output.json
**
** Exits 0 when standard input is one JSON array of at least MIN_ITEMS
** objects, each with string "severity" (error, warning or note), "id" and
** "message", a "file" that is a string or null, integer "line" and
** "column" >= 1 when "file" is a string, and a "notes" array of objects
** of the same shape (without "notes").  Prints the first problem found.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_item(json_t *o, int is_note)
{
	json_t *f = json_object_get(o, "file"), *sev = json_object_get(o, "severity");
	size_t i;

	if (!json_is_object(o))
		return fprintf(stderr, "json_check: an item is not an object\n"), 1;
	if (!json_is_string(sev) || (strcmp(json_string_value(sev), "error") != 0 &&
				     strcmp(json_string_value(sev), "warning") != 0 &&
				     strcmp(json_string_value(sev), "note") != 0))
		return fprintf(stderr, "json_check: bad severity\n"), 1;
	if (!json_is_string(json_object_get(o, "id")) || !json_is_string(json_object_get(o, "message")))
		return fprintf(stderr, "json_check: id or message missing\n"), 1;
	if (json_is_string(f)) {
		const char *k[] = {"line", "column", "end_line", "end_column"};
		for (i = 0; i < 4; i++) {
			json_t *n = json_object_get(o, k[i]);
			if (!json_is_integer(n) || json_integer_value(n) < 1)
				return fprintf(stderr, "json_check: bad %s\n", k[i]), 1;
		}
	} else if (!json_is_null(f)) {
		return fprintf(stderr, "json_check: file is neither a string nor null\n"), 1;
	}
	if (is_note)
		return json_object_get(o, "notes") ? (fprintf(stderr, "json_check: a note has notes\n"), 1) : 0;
	if (!json_is_array(json_object_get(o, "notes")))
		return fprintf(stderr, "json_check: notes missing\n"), 1;
	for (i = 0; i < json_array_size(json_object_get(o, "notes")); i++)
		if (check_item(json_array_get(json_object_get(o, "notes"), i), 1))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *root = json_loadf(stdin, 0, &err);
	size_t i, min = argc > 1 ? (size_t)atoi(argv[1]) : 0;
	int rc = 0;

	if (!root) {
		fprintf(stderr, "json_check: not JSON: %s (line %d)\n", err.text, err.line);
		return 1;
	}
	if (!json_is_array(root) || json_array_size(root) < min) {
		fprintf(stderr, "json_check: not an array of at least %zu items\n", min);
		rc = 1;
	}
	for (i = 0; rc == 0 && i < json_array_size(root); i++)
		rc = check_item(json_array_get(root, i), 0);
	json_decref(root);
	return rc;
}
