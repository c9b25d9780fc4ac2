#!/usr/bin/env python3
"""tests/weave/check_book.py: checks a woven book's HTML text (the browser
test checks the rendered DOM): every in-page link resolves to an id, every
citation link to a <mark class="lr-passage"> on its source page, one summary
row per rule, rule ids and data-rule agree, no external resource, every CJK
character inside a lang="zh" element, ids unique.

    python3 tests/weave/check_book.py DIR [EXPECTED_RULES]

Prints the problems (or "ok: ...") and exits 1 on any."""
import html.parser
import os
import re
import unicodedata
import sys

CJK = re.compile('[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]')
VOID = {'meta', 'link', 'br', 'img', 'input', 'hr', 'wbr', 'source', 'col', 'area', 'base', 'embed', 'track'}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.dup, self.refs, self.cites, self.rules, self.rows = set(), [], [], [], [], []
        self.marks, self.external, self.cjk_outside, self.stack = {}, [], [], []
        self.nostore = 0
        self.cite_text, self.cite_texts = None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get('class') or '').split()
        if 'id' in a:
            if a['id'] in self.ids:
                self.dup.append(a['id'])
            self.ids.add(a['id'])
        if tag in ('link', 'script', 'img', 'style', 'iframe') and re.match(r'(?i)\s*https?:', a.get('src') or a.get('href') or ''):
            self.external.append(tag)
        if tag == 'a' and 'lr-ref' in cls:
            self.refs.append(a.get('href', ''))
        if tag == 'a' and 'lr-cite' in cls:
            self.cites.append(a.get('href', ''))
        if 'lr-nostore' in cls:
            self.nostore += 1
        if tag == 'mark' and 'lr-passage' in cls:
            self.marks[a.get('id')] = ''
        if 'lr-rule' in cls:
            self.rules.append((a.get('id'), a.get('data-rule')))
        if tag == 'tr' and 'data-rule' in a:
            self.rows.append(a['data-rule'])
        if tag == 'a' and 'lr-cite' in cls:
            self.cite_text = ''
        if tag not in VOID:
            self.stack.append((tag, a.get('lang'), a.get('id') if tag == 'mark' else None))

    def handle_endtag(self, tag):
        while self.stack:
            t, _, _ = self.stack.pop()
            if t == tag:
                break
        if tag == 'a' and self.cite_text is not None:
            self.cite_texts.append(self.cite_text)
            self.cite_text = None

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ('style', 'script', 'title'):
            return
        if CJK.search(data) and not any(l == 'zh' for _, l, _ in self.stack):
            self.cjk_outside.append(data.strip()[:40])
        for _, _, mid in self.stack:
            if mid:
                self.marks[mid] += data
        if self.cite_text is not None:
            self.cite_text += data


def norm(s):
    return ' '.join(unicodedata.normalize('NFC', s).split())


def load(path):
    p = Page()
    with open(path, encoding='utf-8') as f:
        text = f.read()
    p.feed(text)
    return p, text


def main():
    d = sys.argv[1]
    want = int(sys.argv[2]) if len(sys.argv) > 2 else None
    probs = []
    idx, text = load(os.path.join(d, 'index.html'))
    if '<html lang="en">' not in text:
        probs.append('no <html lang="en">')
    for h in idx.refs:
        if not h.startswith('#') or h[1:] not in idx.ids:
            probs.append('lr-ref %s resolves to nothing' % h)
    for r_id, r_data in idx.rules:
        if r_id != r_data or not r_id:
            probs.append('rule element id %r data-rule %r' % (r_id, r_data))
    rules = [r for r, _ in idx.rules]
    if rules != idx.rows:
        probs.append('summary rows %s != rules %s' % (idx.rows[:5], rules[:5]))
    if want is not None and len(rules) != want:
        probs.append('%d rules, expected %d' % (len(rules), want))
    pages = {}
    for h, quote in zip(idx.cites, idx.cite_texts):
        m = re.fullmatch(r'sources/([A-Za-z0-9._-]+\.html)#(q-\d+)', h)
        if not m:
            probs.append('citation href %s' % h)
            continue
        if m.group(1) not in pages:
            pages[m.group(1)] = load(os.path.join(d, 'sources', m.group(1)))[0]
        marks = pages[m.group(1)].marks
        if m.group(2) not in marks:
            probs.append('citation %s: no mark' % h)
        elif norm(marks[m.group(2)]) != norm(quote.strip('\u201c\u201d')):
            probs.append('citation %s: the mark holds %r, the quote is %r' % (h, marks[m.group(2)][:60], quote[:60]))
    for name, p in list(pages.items()) + [('index.html', idx)]:
        if p.dup:
            probs.append('%s: duplicate ids %s' % (name, p.dup[:5]))
        if p.external:
            probs.append('%s: external resources %s' % (name, p.external))
        if p.cjk_outside:
            probs.append('%s: CJK text outside lang=zh: %s' % (name, p.cjk_outside[:3]))
    for p in probs:
        print(p)
    if not probs:
        print('ok: %d rules, %d names linked, %d citations linked, %d without stored text' %
              (len(rules), len(idx.refs), len(idx.cites), idx.nostore))
    return 1 if probs else 0


if __name__ == '__main__':
    sys.exit(main())
