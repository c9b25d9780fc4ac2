#!/usr/bin/env python3
# renumber-flagship.py: gives the flagship rule book's rules ids that increase
# in reading order, and renames every reference to them in the files that name
# flagship rules (the book, README, docs, bench model, e2e sections, mutation
# script).  Rule sets of test fixtures (tests/verify, tests/golden, unit tests)
# have ids of their own and are not touched.
#
# Scheme: rules are taken in declaration order.  Consecutive rules whose old
# ids share a number form a family (R07, R07b, R07c, R07d): the family gets the
# next number and, when it has more than one rule, the letters a, b, c, ...
# A rule alone keeps no letter.  Applied to a book already in order the
# mapping is the identity and nothing changes, so the script can be re-run
# (e.g. after merging rules added by someone else).
#
# The book's old -> new table sits between the markers below; the script
# skips that region when renaming and rewrites it only when ids change.
#
# Usage: tools/renumber-flagship.py [--dry-run]   (run from the repository root)
import glob
import re
import sys

BOOK = "rules/mm-bone-protection.md"
MAP_BEGIN = "<!-- rule-id-map begin -->"
MAP_END = "<!-- rule-id-map end -->"
ID_RE = re.compile(r"(?<![A-Za-z0-9_])R(\d\d)([a-z]?)(?![A-Za-z0-9_])")


def files_naming_flagship():
    fs = [BOOK, "README.md", "bench/reference_mm.c", "tests/mutation/mutate.py"]
    fs += sorted(glob.glob("docs/*.md"))
    fs += sorted(glob.glob("tests/e2e/sections/*.sh"))
    fs += sorted(glob.glob("examples/**/*", recursive=True))
    return [f for f in fs if not f.endswith((".json", ".txt")) and not glob.os.path.isdir(f)]


def mapping(text):
    ids = re.findall(r"^rule (R\w+) ", text, re.M)
    families = []  # [old number, [old ids]]
    for rid in ids:
        m = ID_RE.fullmatch(rid)
        if not m:
            sys.exit("renumber: rule id %r does not follow the RNN[x] scheme" % rid)
        if families and families[-1][0] == m.group(1):
            families[-1][1].append(rid)
        else:
            families.append([m.group(1), [rid]])
    out = {}
    for n, (_, members) in enumerate(families, 1):
        if len(members) == 1:
            out[members[0]] = "R%02d" % n
        else:
            for k, rid in enumerate(members):
                out[rid] = "R%02d%s" % (n, chr(ord("a") + k))
    # A family name used in prose ("R01 rules"): the family's new number.
    for old_num, members in families:
        fam = "R" + old_num
        if fam not in out:
            out.setdefault("family:" + fam, out[members[0]][:3])
    return ids, out


def rename_line(line, mp, unknown, where):
    def sub(m):
        tok = m.group(0)
        if tok in mp:
            return mp[tok]
        if "family:" + tok in mp:
            return mp["family:" + tok]
        unknown.append("%s: %s" % (where, tok))
        return tok
    return ID_RE.sub(sub, line)


def map_table(ids, mp):
    rows = ["| First edition | This edition |", "|---|---|"]
    rows += ["| %s | %s |" % (rid, mp[rid]) for rid in ids]
    return rows


def main():
    dry = "--dry-run" in sys.argv
    text = open(BOOK, encoding="utf-8").read()
    ids, mp = mapping(text)
    changed_ids = [r for r in ids if mp[r] != r]
    if not changed_ids:
        print("renumber: ids already in reading order; nothing to do")
        return 0
    unknown = []
    for f in files_naming_flagship():
        try:
            lines = open(f, encoding="utf-8").read().split("\n")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        out, in_map, n = [], False, 0
        for i, line in enumerate(lines, 1):
            if line.strip() == MAP_BEGIN:
                in_map = True
                out.append(line)
                if f == BOOK:
                    out += map_table(ids, mp)
                continue
            if line.strip() == MAP_END:
                in_map = False
            if in_map:
                continue  # the old table is replaced by the new one above
            new = rename_line(line, mp, unknown, "%s:%d" % (f, i))
            if new != line:
                n += 1
                if dry:
                    print("%s:%d: %s" % (f, i, new.strip()[:150]))
            out.append(new)
        if n:
            print("renumber: %s: %d lines" % (f, n))
            if not dry:
                open(f, "w", encoding="utf-8").write("\n".join(out))
    for u in unknown:
        print("renumber: warning: not a flagship rule id: %s" % u)
    return 0


if __name__ == "__main__":
    sys.exit(main())
