#!/usr/bin/env python3
"""tests/browser/check_book.py: checks a woven rule book in a real browser.

    python3 check_book.py --book DIR --rules RULES.json [--shots DIR]

Loads DIR/index.html from a file:// URL in headless chromium, driven
through the DevTools protocol over a pipe (--remote-debugging-pipe: no
port, no websocket library, Python's standard library only), and checks
the RENDERED DOM (serialized by the browser after the page's script ran,
parsed with html.parser) against the DOM contract of `litrule weave`:

- every rule of the rule set (RULES.json: `litrule test --format json
  --coverage` on the rule files, so the list comes from the compiler, not
  from the page) has an element with class lr-rule, id and data-rule equal
  to its id, and exactly one <tr data-rule=ID> in
  section#lr-summary table.lr-summary-rules; the page has no other rules;
- every a.lr-ref links to "#NAME" and an element with that id exists, and
  there is at least one;
- #lr-identity, #lr-bibliography, #lr-params, #lr-inputs, form#lr-try and
  pre#lr-try-out exist;
- every a.lr-cite links to sources/STEM.html#q-N inside the book; each
  such page is loaded in the browser too and its fragment is a
  mark.lr-passage with text; span.lr-cite.lr-nostore (a source without
  stored text) is allowed, any other .lr-cite is not;
- every li.lr-example has data-status pass or fail, and none is fail;
  there is at least one when the rule set has examples;
- the page's script set data-lr-ready="1" and a numeric data-lr-height;
- no console error, uncaught exception or error log entry on any page, no
  request other than file: and data: URLs, and no http(s) URL in the src
  or href of script, img, link, iframe, embed, source, audio or video, nor
  in a stylesheet;
- full-page screenshots at phone (390 px) and desktop (1280 px) widths are
  written to --shots DIR as book-phone.png and book-desktop.png, and their
  PNG headers have that width and the page's scroll height.

Prints one "browser: FAIL: ..." line per problem and ends with a summary
line; exit status 0 when everything holds, 1 on a failed check, 2 when
the browser cannot be driven (that fails the test too).
"""

import argparse
import base64
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
from html.parser import HTMLParser

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--remote-debugging-pipe", "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
WIDTHS = (("phone", 390), ("desktop", 1280))
# Elements whose src/href/data loads a resource; an http(s) URL there is a
# network request the self-contained book must not make.
RESOURCE_TAGS = {"script", "img", "link", "iframe", "embed", "source",
                 "audio", "video", "object", "track", "input"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr", "param", "keygen"}


class BrowserError(Exception):
    """The browser could not be started or stopped answering."""


# ---- the DevTools protocol over a pipe ------------------------------------
class Chromium:
    """One headless chromium under `timeout`, spoken to through fds 3 and 4
    (NUL-terminated JSON messages), with one page target attached in flat
    mode.  Events are kept in self.events for the checks to read."""

    def __init__(self, binary, timeout):
        self.tmp = tempfile.mkdtemp(prefix="litrule-chromium.")
        self.deadline = time.monotonic() + timeout
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds_3_and_4():
            # dup first: the pipe ends may themselves be 3 or 4.
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.err = open(os.path.join(self.tmp, "stderr.log"), "wb")
        argv = ["timeout", str(int(timeout)), binary] + CHROMIUM_FLAGS + [
            "--user-data-dir=" + os.path.join(self.tmp, "profile"), "about:blank"]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.err,
                                     stderr=self.err, close_fds=False,
                                     preexec_fn=fds_3_and_4)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self):
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium did not answer in time")
            ready, _, _ = select.select([self.from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the DevTools pipe (exited: %s)%s"
                                   % (self.proc.poll(), self.stderr_tail()))
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True):
        """Sends a command and waits for its answer, keeping the events
        that arrive meanwhile."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self.to_child, data):]
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise BrowserError("%s: %s" % (method, m["error"].get("message")))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method):
        """Waits for an event of the attached page (one already received
        counts); returns it and forgets it."""
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method and m.get("sessionId") == self.session:
                    return self.events.pop(i)
            m = self._read_message()
            if "method" in m:
                self.events.append(m)

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        att = self.send("Target.attachToTarget",
                        {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = att["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(domain + ".enable")

    def navigate(self, url):
        res = self.send("Page.navigate", {"url": url})
        if res.get("errorText"):
            raise BrowserError("cannot load %s: %s" % (url, res["errorText"]))
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expr):
        res = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in res:
            raise BrowserError("evaluating %s: %s" % (expr, res["exceptionDetails"].get("text")))
        return res["result"].get("value")

    def stderr_tail(self):
        try:
            with open(os.path.join(self.tmp, "stderr.log"), "rb") as f:
                tail = f.read()[-1500:].decode("utf-8", "replace")
            return "\n    " + tail.strip().replace("\n", "\n    ") if tail.strip() else ""
        except OSError:
            return ""

    def close(self):
        try:
            if self.proc.poll() is None:
                self.deadline = time.monotonic() + 10
                self.send("Browser.close", session=False)
        except (BrowserError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # timeout(1), our own child; chromium goes with it
            self.proc.wait()
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self.err.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


# ---- the rendered DOM -----------------------------------------------------
class Element:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.parent = parent
        self.classes = set(self.attrs.get("class", "").split())
        self.text = []

    def inside(self, pred):
        e = self.parent
        while e is not None:
            if pred(e):
                return True
            e = e.parent
        return False

    def all_text(self):
        return "".join(self.text)


class DomParser(HTMLParser):
    """Every element of a serialized DOM in document order, each with its
    parent and its text (including its descendants' text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.stack = []
        self.styles = []

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs, self.stack[-1] if self.stack else None)
        self.elements.append(e)
        if tag not in VOID:
            self.stack.append(e)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, attrs, self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        for e in self.stack:
            e.text.append(data)
        if self.stack and self.stack[-1].tag == "style":
            self.styles.append(data)


def parse_dom(html):
    p = DomParser()
    p.feed(html)
    p.close()
    return p


def by_id(dom):
    ids = {}
    for e in dom.elements:
        if "id" in e.attrs:
            ids.setdefault(e.attrs["id"], e)
    return ids


# ---- the checks -----------------------------------------------------------
class Report:
    def __init__(self):
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)
        print("browser: FAIL: " + msg, flush=True)


def check_rules(dom, ids, rules, rep):
    rule_elems = [e for e in dom.elements if "lr-rule" in e.classes]
    for e in rule_elems:
        rid = e.attrs.get("data-rule")
        if rid is None or e.attrs.get("id") != rid:
            rep.fail("a .lr-rule element <%s id=%r data-rule=%r>: id and data-rule must both be the rule id"
                     % (e.tag, e.attrs.get("id"), rid))
        elif rid not in rules:
            rep.fail("rule %s is on the page but not in the rule set" % rid)
    for rid in rules:
        e = ids.get(rid)
        if e is None:
            rep.fail("rule %s: no anchor (no element with id=%r)" % (rid, rid))
        elif "lr-rule" not in e.classes or e.attrs.get("data-rule") != rid:
            rep.fail("rule %s: the element with id=%r is not <... class=lr-rule data-rule=%r>" % (rid, rid, rid))
    summary = ids.get("lr-summary")
    if summary is None or summary.tag != "section":
        rep.fail("no <section id=\"lr-summary\">")
    tables = [e for e in dom.elements if e.tag == "table" and "lr-summary-rules" in e.classes
              and e.inside(lambda a: a is summary)]
    if not tables:
        rep.fail("no table.lr-summary-rules inside section#lr-summary")
    rows = {}
    for e in dom.elements:
        if e.tag == "tr" and "data-rule" in e.attrs and e.inside(lambda a: a in tables):
            rows[e.attrs["data-rule"]] = rows.get(e.attrs["data-rule"], 0) + 1
    for rid in rules:
        if tables and rows.get(rid, 0) != 1:
            rep.fail("summary: %d rows for rule %s, expected exactly 1" % (rows.get(rid, 0), rid))
    for rid in sorted(set(rows) - set(rules)):
        rep.fail("summary: a row for %s, which is not a rule of the rule set" % rid)
    for need in ("lr-identity", "lr-bibliography", "lr-params", "lr-inputs"):
        if need not in ids:
            rep.fail("no element with id=%r" % need)
    if ids.get("lr-try") is None or ids["lr-try"].tag != "form":
        rep.fail("no <form id=\"lr-try\">")
    if ids.get("lr-try-out") is None or ids["lr-try-out"].tag != "pre":
        rep.fail("no <pre id=\"lr-try-out\">")


def check_refs(dom, ids, rep):
    n = 0
    for e in dom.elements:
        if "lr-ref" not in e.classes:
            continue
        n += 1
        href = e.attrs.get("href", "")
        if e.tag != "a" or not href.startswith("#"):
            rep.fail("a .lr-ref (%r) is not <a href=\"#NAME\">: <%s href=%r>" % (e.all_text(), e.tag, href))
        elif urllib.parse.unquote(href[1:]) not in ids:
            rep.fail("the name %r links to %s, but no element has that id" % (e.all_text(), href))
    return n


def check_examples(dom, rep):
    n = 0
    for e in dom.elements:
        if not (e.tag == "li" and "lr-example" in e.classes):
            continue
        n += 1
        status = e.attrs.get("data-status")
        if status == "fail":
            rep.fail("example %r fails" % " ".join(e.all_text().split())[:80])
        elif status != "pass":
            rep.fail("example %r: data-status=%r, expected pass or fail"
                     % (" ".join(e.all_text().split())[:80], status))
    return n


def check_no_external(dom, page, rep):
    def remote(url):
        u = url.strip().lower()
        return u.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))
    for e in dom.elements:
        if e.tag not in RESOURCE_TAGS:
            continue
        for attr in ("src", "href", "data", "srcset", "poster"):
            if remote(e.attrs.get(attr, "")):
                rep.fail("%s: <%s %s=%r> loads an external resource" % (page, e.tag, attr, e.attrs[attr]))
    for css in dom.styles:
        low = css.lower()
        for bad in ("url(http", "url(\"http", "url('http", "url(//", "@import"):
            if bad in low:
                rep.fail("%s: a stylesheet refers to an external resource (%s...)" % (page, bad))


def console_problems(events):
    """Console errors, uncaught exceptions, error log entries and requests
    for anything but file: and data: URLs, from the recorded events."""
    out = []
    for m in events:
        meth, p = m.get("method"), m.get("params", {})
        if meth == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            out.append("console.%s: %s" % (p["type"], args))
        elif meth == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            desc = d.get("exception", {}).get("description") or d.get("text")
            out.append("uncaught exception: %s (line %s)" % (desc, d.get("lineNumber")))
        elif meth == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            out.append("console error (%s): %s" % (p["entry"].get("source"), p["entry"].get("text")))
        elif meth == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:", "blob:")):
                out.append("a request to %s" % url)
    return out


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def screenshot(br, name, width, shots, rep):
    """Lays the page out at WIDTH, then sizes the viewport to the whole
    scroll height so one capture holds the full page."""
    mobile = width < 600
    br.send("Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": mobile})
    height = int(br.evaluate("document.documentElement.scrollHeight"))
    br.send("Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    height = int(br.evaluate("document.documentElement.scrollHeight"))
    shot = br.send("Page.captureScreenshot",
                   {"format": "png", "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path = os.path.join(shots, "book-%s.png" % name)
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    size = png_size(path)
    if size is None:
        rep.fail("%s is not a PNG file" % path)
    elif size[0] != width or size[1] != height:
        rep.fail("%s is %dx%d, expected %dx%d" % (path, size[0], size[1], width, height))
    return "%s %s %dx%d" % (name, path, width, height)


def check_sources(br, book_dir, index_url, dom, rep):
    """Each a.lr-cite's page, loaded in the browser, has its passage."""
    pages = {}
    nostore = 0
    for e in dom.elements:
        if "lr-cite" not in e.classes:
            continue
        if e.tag == "span" and "lr-nostore" in e.classes:
            nostore += 1
            continue
        href = e.attrs.get("href", "")
        if e.tag != "a" or "lr-nostore" in e.classes:
            rep.fail("a .lr-cite that is neither <a href> nor span.lr-nostore: <%s class=%r>"
                     % (e.tag, e.attrs.get("class")))
            continue
        url = urllib.parse.urljoin(index_url, href)
        page, _, frag = url.partition("#")
        rel = href.partition("#")[0]
        if not (rel.startswith("sources/") and rel.endswith(".html") and "/" not in rel[8:]) \
                or not frag.startswith("q-"):
            rep.fail("citation link %r is not sources/STEM.html#q-N" % href)
            continue
        pages.setdefault(page, set()).add(urllib.parse.unquote(frag))
    for page, frags in sorted(pages.items()):
        rel = os.path.relpath(urllib.parse.unquote(urllib.parse.urlparse(page).path), book_dir)
        if not os.path.isfile(os.path.join(book_dir, rel)):
            rep.fail("citation target %s does not exist" % rel)
            continue
        br.navigate(page)
        sdom = parse_dom(br.evaluate("document.documentElement.outerHTML"))
        sids = by_id(sdom)
        for frag in sorted(frags):
            m = sids.get(frag)
            if m is None:
                rep.fail("%s#%s: no element with id %r" % (rel, frag, frag))
            elif m.tag != "mark" or "lr-passage" not in m.classes:
                rep.fail("%s#%s is a <%s class=%r>, not a mark.lr-passage" % (rel, frag, m.tag, m.attrs.get("class")))
            elif not m.all_text().strip():
                rep.fail("%s#%s: the highlighted passage is empty" % (rel, frag))
        check_no_external(sdom, rel, rep)
    return sum(len(f) for f in pages.values()), len(pages), nostore


def run(args):
    rep = Report()
    with open(args.rules) as f:
        tested = json.load(f)
    cov = tested["coverage"]["detail"]["rules"]
    examples = tested["totals"]["examples"]
    rules = [i["rule"] for i in cov["items"]]
    if not rules or len(rules) != cov["total"] or len(set(rules)) != len(rules):
        raise BrowserError("%s: no usable rule list (%d items, total %s)" % (args.rules, len(rules), cov["total"]))
    book = os.path.abspath(args.book)
    index = os.path.join(book, "index.html")
    if not os.path.isfile(index):
        rep.fail("%s does not exist" % index)
        return rep, ""
    index_url = "file://" + urllib.parse.quote(index)
    br = Chromium(args.chromium, args.timeout)
    try:
        br.open_page()
        br.navigate(index_url)
        dom = parse_dom(br.evaluate("document.documentElement.outerHTML"))
        ids = by_id(dom)
        root = next((e for e in dom.elements if e.tag == "html"), None)
        if root is None or root.attrs.get("data-lr-ready") != "1":
            rep.fail("the page's script did not finish (no data-lr-ready=\"1\" on <html>)")
        if root is None or not root.attrs.get("data-lr-height", "").isdigit() \
                or int(root.attrs["data-lr-height"]) <= 0:
            rep.fail("no numeric data-lr-height on <html>")
        check_rules(dom, ids, rules, rep)
        nrefs = check_refs(dom, ids, rep)
        if nrefs == 0:
            rep.fail("no name in the rules links to its declaration (no a.lr-ref)")
        nex = check_examples(dom, rep)
        if nex == 0 and examples > 0:
            rep.fail("no li.lr-example on the page, but the rule set has %d examples" % examples)
        check_no_external(dom, "index.html", rep)
        shots = []
        if args.shots:
            os.makedirs(args.shots, exist_ok=True)
            for name, width in WIDTHS:
                shots.append(screenshot(br, name, width, args.shots, rep))
        ncites, npages, nostore = check_sources(br, book, index_url, dom, rep)
        if ncites + nostore == 0:
            rep.fail("no citations (.lr-cite) on the page")
        for p in console_problems(br.events):
            rep.fail(p)
    finally:
        br.close()
    return rep, ("%d rules, %d name links, %d passages on %d source pages (+%d without stored text), "
                 "%d examples; screenshots: %s" % (len(rules), nrefs, ncites, npages, nostore, nex,
                                                    ", ".join(shots) or "none"))


def main():
    ap = argparse.ArgumentParser(description="check a woven rule book in headless chromium")
    ap.add_argument("--book", required=True, help="the directory litrule weave wrote")
    ap.add_argument("--rules", required=True, help="litrule test --format json --coverage output")
    ap.add_argument("--shots", help="directory for book-phone.png and book-desktop.png")
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("BROWSER_TIMEOUT", "120")))
    args = ap.parse_args()
    try:
        rep, summary = run(args)
    except (BrowserError, OSError, ValueError, KeyError) as e:
        print("browser: ERROR: %s" % e, flush=True)
        return 2
    if rep.failures:
        print("browser: %d problems in %s" % (len(rep.failures), args.book))
        return 1
    print("browser: ok: %s" % summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
