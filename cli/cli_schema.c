/* cli_schema.c: placeholder */
#include "cli.h"
int cli_schema(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cli_inputs(int argc, char **argv) { (void)argc; (void)argv; return 2; }
