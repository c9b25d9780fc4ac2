/*
** test_dec_noint128.c: the decimal tests again, against the portable
** 64-bit fallback of dec.c.
**
** Machines without __int128 are rare, so the fallback would otherwise
** never run.  Defining LR_DEC_NO_INT128 and compiling dec.c into this
** test keeps it built and tested everywhere; link this test WITHOUT
** runtime/dec.c (util.c is still needed for lr_strerror).
*/
#define LR_DEC_NO_INT128 1
#include "../../runtime/dec.c"
#include "test_dec.c"
