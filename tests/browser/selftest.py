#!/usr/bin/env python3
"""tests/browser/selftest.py: proves that check_book.py can fail.

    python3 tests/browser/selftest.py LITRULE

Runs the checker on the hand-written fixture book (tests/browser/fixture/,
which must pass) and on broken copies of it, each made by one textual edit,
which must fail with the expected finding.  Several breakages exist only in
the rendered DOM (the page's script removes an anchor, throws, logs an
error): a check of the HTML text would miss them.  Screenshots are taken
for the good book only.  Prints one line per case and a last line
"browser-selftest: N passed, N failed"; exit status 1 on any failure.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixture")
SCRIPT_END = 'document.documentElement.dataset.lrReady = "1";'
MARK = '<mark class="lr-passage" id="q-1">Correct hypocalcaemia before the first dose.</mark>'
SUMMARY_ROW = ('<tr data-rule="Monitor"><td><a href="#Monitor">Monitor</a></td><td>monitor calcium</td>'
               '<td>recommend</td><td>Panel</td></tr>\n')

# (what, file, old text or pattern, new text, a line the checker must print)
CASES = [
    ("a rule without its anchor", "index.html",
     'class="lr-rule" id="Monitor"', 'class="lr-rule"', "rule Monitor: no anchor"),
    ("an anchor the script removes (rendered DOM only)", "index.html",
     "\tbuild();\n", '\tbuild();\n\tdocument.getElementById("CorrectFirst").removeAttribute("id");\n',
     "rule CorrectFirst: no anchor"),
    ("a citation whose passage mark is missing", "sources/label.html",
     MARK, "Correct hypocalcaemia before the first dose.", "sources/label.html#q-1: no element with id"),
    ("a citation whose mark is empty", "sources/label.html",
     MARK, '<mark class="lr-passage" id="q-1"></mark>', "the highlighted passage is empty"),
    ("a citation to a missing source page", "index.html",
     'href="sources/label.html#q-1"', 'href="sources/nosuch.html#q-1"',
     "citation target sources/nosuch.html does not exist"),
    ("a summary without a rule's row", "index.html", SUMMARY_ROW, "", "summary: 0 rows for rule Monitor"),
    ("a summary with a rule twice", "index.html", SUMMARY_ROW, SUMMARY_ROW * 2, "summary: 2 rows for rule Monitor"),
    ("a script that throws", "index.html",
     "\tbuild();\n", "\tbuild();\n\tnull.boom();\n", "uncaught exception: TypeError"),
    ("a script that throws never sets lrReady", "index.html",
     "\tbuild();\n", "\tbuild();\n\tnull.boom();\n", "did not finish"),
    ("a console error", "index.html",
     "\tbuild();\n", '\tbuild();\n\tconsole.error("weave broke");\n', "console.error: weave broke"),
    ("a name link to nothing", "index.html",
     'href="#calcium">calcium</a> &gt;=', 'href="#calcium_x">calcium</a> &gt;=', "no element has that id"),
    ("rules whose names link nowhere", "index.html",
     r'<a class="lr-ref" href="#\w+">(\w+)</a>', r"\1", "no name in the rules links to its declaration"),
    ("a failing example", "index.html",
     'data-status="pass">Low', 'data-status="fail">Low', "example 'Low: low calcium' fails"),
    ("an external image", "index.html",
     "<h2>Try it</h2>", '<img src="https://example.org/x.png" alt=""><h2>Try it</h2>',
     "loads an external resource"),
    ("a missing try-it form", "index.html", '<form id="lr-try">', "<form>", 'no <form id="lr-try">'),
]


def run_checker(book, rules, shots=None):
    argv = [sys.executable, os.path.join(HERE, "check_book.py"), "--book", book, "--rules", rules]
    if shots:
        argv += ["--shots", shots]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    return p.returncode, p.stdout


def main():
    litrule = sys.argv[1]
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="litrule-selftest.")
    try:
        # The fixture's rule ids, from the compiler, as run.sh gets them.
        rules = os.path.join(tmp, "rules.json")
        with open(rules, "w") as f:
            subprocess.run([litrule, "test", "--format", "json", "--coverage",
                            os.path.join(HERE, "fixture-rules")],
                           stdout=f, stderr=subprocess.DEVNULL, timeout=300)
        status, out = run_checker(FIXTURE, rules, tmp)
        if status == 0 and os.path.isfile(os.path.join(tmp, "book-phone.png")):
            passed += 1
        else:
            failed += 1
            print("FAIL: the good fixture book does not pass (status %d):\n%s" % (status, out))
        for what, name, old, new, expect in CASES:
            book = os.path.join(tmp, "case")
            shutil.rmtree(book, ignore_errors=True)
            shutil.copytree(FIXTURE, book)
            path = os.path.join(book, name)
            with open(path) as f:
                text = f.read()
            # A pattern (it contains a backslash) replaces every match;
            # plain text, its first occurrence.
            changed = re.sub(old, new, text) if "\\" in old else text.replace(old, new, 1)
            if changed == text:
                failed += 1
                print("FAIL: %s: the fixture has no %r to change" % (what, old))
                continue
            with open(path, "w") as f:
                f.write(changed)
            status, out = run_checker(book, rules)
            if status == 1 and expect in out:
                passed += 1
            else:
                failed += 1
                print("FAIL: %s: expected status 1 and %r, got status %d:\n%s" % (what, expect, status, out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("browser-selftest: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
