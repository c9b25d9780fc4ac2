#!/bin/sh
# let-chain-deep.sh: writes let-chain-deep.md (1 MB, so it is generated
# rather than stored): 30,000 lets, each using the next one.
#   sh tests/fuzz/regressions/open/let-chain-deep.sh > /tmp/let-chain-deep.md
n=30000
printf '# Deep let chain\n\n```rule\nsource G "g"\ninput n0: number in mg, from 0 to 10 "n"\n'
awk -v n=$n 'BEGIN { for (i = 0; i < n - 1; i++) printf "let l%d in mg = l%d + 1 mg \"c\"\n", i, i + 1 }'
printf 'let l%d in mg = n0 "c"\n' $((n - 1))
printf 'rule R "r"\n  when l0 > 5 mg\n  then alert "a"\n  cite G at "1" quote "q"\n```\n'
