#!/usr/bin/python3
"""Build PDFs of 部局運営方針 documents as web systems print them: HTML with real tables.

Cities also publish these documents from web applications: an HTML page with ruled
tables (merged cells, CSS borders) printed to PDF by a browser engine. This tool writes
such a page from each text edition (the format and its parser are tools/make_pdfs.py's,
which it imports) and prints it with one of two independent engines:

  chromium     Chromium headless (Blink, Skia's PDF backend). Font IPAexGothic, embedded
               as a subset CID TrueType font. Borders `0.75px solid`, collapsed: Skia draws
               each border as a thin filled rectangle. Page numbers "N / M" in a CSS @page
               @bottom-center margin box. Tables that break across pages repeat their
               <thead> (Blink does this itself).
  wkhtmltopdf  wkhtmltopdf 0.12.6 (Qt WebKit, Qt's PDF engine). Font TakaoGothic (CID
               TrueType). Borders `1px solid` on every cell, `border-collapse: separate;
               border-spacing: 0`, so two borders lie side by side between cells; other cell
               padding. Debian's build has unpatched Qt: no --footer-* options, no repeated
               table headers, and table rows are sliced through at page ends. So the page
               carries a small script that paginates it before printing: it ends each page
               before the block or table row that would cross the page end, splits tables
               there (the new part repeats the first part's <thead>), and writes the page
               number at the foot of every page. The page height in CSS pixels is measured
               once per run with two tiny calibration prints.

Usage (run with Debian's /usr/bin/python3; paths relative to the current directory):
  make_html_pdfs.py --producer P INPUT.txt... [--out DIR | -o X.pdf] [options]
      one PDF per input: DIR/STEM.pdf (default DIR: the current directory), or X.pdf for
      a single input
  make_html_pdfs.py --producer P --compile INPUT.txt... -o X.pdf [--cover] [options]
      one PDF holding the documents one after another, each starting on a new page
Options:
  --cover               (with --compile) a cover page first: 「令和3年度 部局運営方針」, the city
                        and a contents list of the departments with their first pages. It holds
                        no 【…】 marker and no 「…の運営方針」 line (the parser splits documents there)
  --one-table-details   each goal's detail page (from its 部(局)名 row to the next one) is ONE
                        table: the 部(局)名 row is its <thead>, lines without TABs are full-width
                        rows, empty lines empty full-width rows, and a row with fewer fields than
                        the table has columns lets its last field span the rest
  --split-goal N        no page break before goal N's detail page, so (with --one-table-details)
                        its table runs over the page end and its heading row appears again
  --font NAME           font family (default: IPAexGothic for chromium, TakaoGothic for
                        wkhtmltopdf). Note: Chromium cannot embed CFF-flavoured OpenType fonts such
                        as "Noto Sans CJK JP"; Skia then writes Type 3 fonts (glyph outlines,
                        ~2x the size)
  --city NAME           the city on the cover (default 柏原市)
  --jobs N              engine processes in parallel (default: min(4, CPUs)); each worker keeps
                        one Chromium profile directory for all its documents
  --keep-html           also keep the generated .html next to each PDF
  --no-check            skip the pdfinfo/pdffonts/pdftotext report

The page, from the text edition: a line with TABs is a table row, consecutive ones one
table (one cell a field; short rows padded with empty cells); lines of dashes are the
text export's rules and are dropped (the borders draw the rules); other lines are
paragraphs; an empty line is an empty paragraph one line high; the first non-empty line is
the title (bigger); leading and trailing empty lines of a document are dropped. A page break
precedes every detail page (a line whose first field is 部(局)名). In the goal summary table
(after 【重点目標】) the goal number spans the goal's two rows and the goal title spans the
empty fields after it, up to the grade cell. The first row of a table with several rows is
its <thead> (not in the summary table). Column widths are fixed per table (table-layout:
fixed): labels (fields of up to 12 full-width characters) never wrap; where two long texts
sit side by side in a row (target, status and grade, or initiative and results) both columns
are narrow enough for each text to take 3 or more lines (the table is then narrower than
the page); other long columns share the rest of the width by their longest text. Text is
the text edition's, HTML-escaped, with `white-space: pre-wrap` (no characters added, no
collapsed spaces, no hyphenation, no justification).

A4 portrait. chromium: margins 18 mm/15 mm, 10 pt, title 14 pt, cell padding 1.0 mm/1.5 mm.
wkhtmltopdf: margins 16 mm top, 10 mm bottom (of which the page number takes 8 mm), 14 mm
left/right, 10.5 pt, title 15 pt, cell padding 0.6 mm/1.0 mm.

Deterministic: the same inputs give byte-identical PDFs with the same engine and fonts: the
creation/modification dates and the /ID are overwritten in place (make_pdfs.fix_metadata:
same byte length; SOURCE_DATE_EPOCH chooses the date). Each PDF is written to a temporary
name and renamed into place.
"""

import argparse
import concurrent.futures
import copy
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_pdfs as mp  # noqa: E402  (text-edition parser, key(), units(), fix_metadata())

PT_MM = 25.4 / 72
A4_W, A4_H = 210.0, 297.0


class Style:
    """Producer-specific page and table geometry (lengths in mm, font sizes in pt)."""

    def __init__(self, producer, font):
        self.producer = producer
        self.font = font
        if producer == "chromium":
            self.margin_t, self.margin_b, self.margin_lr = 18.0, 18.0, 15.0
            self.font_pt, self.title_pt, self.line = 10.0, 14.0, 1.45
            self.pad_v, self.pad_h = 1.0, 1.5
            self.border_mm = 0.75 * 25.4 / 96   # 0.75 CSS px
            self.foot = 0.0                    # page numbers live in the @page margin box
        else:
            self.margin_t, self.margin_b, self.margin_lr = 16.0, 10.0, 14.0
            self.font_pt, self.title_pt, self.line = 10.5, 15.0, 1.35
            self.pad_v, self.pad_h = 0.6, 1.0
            self.border_mm = None              # 1 layout px, set by calibrate()
            self.foot = 8.0                    # the page number's strip at the foot of the content area
        self.px_per_mm = None                  # wkhtmltopdf: layout pixels per mm on paper

    @property
    def content_w(self):
        return A4_W - 2 * self.margin_lr

    @property
    def content_h(self):
        return A4_H - self.margin_t - self.margin_b

    @property
    def unit_mm(self):
        """Width of one half-width unit (half the font size)."""
        return self.font_pt * PT_MM / 2

    def L(self, mm):
        """A CSS length for mm millimetres on paper."""
        if self.producer == "chromium":
            return f"{mm:.3f}mm"
        return f"{mm * self.px_per_mm:.3f}px"

    def css(self):
        font = self.font.replace('"', "")
        L = self.L
        if self.producer == "chromium":
            page = (f"@page {{ size: A4; margin: {self.margin_t:g}mm {self.margin_lr:g}mm {self.margin_b:g}mm; "
                    f'@bottom-center {{ content: counter(page) " / " counter(pages); '
                    f'font-family: "{font}"; font-size: 9pt; }} }}\n')
            borders = "table { border-collapse: collapse; }\ntd, th { border: 0.75px solid #000; }\n"
            doc_w = ""
        else:
            page = ""
            borders = ("table { border-collapse: separate; border-spacing: 0; }\n"
                       "td, th { border: 1px solid #000; }\n")
            doc_w = f"#doc {{ width: {L(self.content_w - 0.3)}; }}\n"
        return (page +
                "html, body { margin: 0; padding: 0; background: #fff; }\n"
                f'body {{ font-family: "{font}"; font-size: {L(self.font_pt * PT_MM)}; '
                f"line-height: {self.line}; color: #000; }}\n" + doc_w +
                "#doc > * { margin: 0; }\n"
                "p { margin: 0; padding: 0; white-space: pre-wrap; word-wrap: break-word; }\n"
                f".title {{ font-size: {L(self.title_pt * PT_MM)}; padding-bottom: {L(2.0)}; }}\n"
                f".blank {{ height: {L(self.font_pt * PT_MM * self.line)}; }}\n"
                ".brk { page-break-before: always; break-before: page; }\n"
                "table { table-layout: fixed; margin: 0; }\n" + borders +
                f"td, th {{ padding: {L(self.pad_v)} {L(self.pad_h)}; vertical-align: top; text-align: left; "
                "font-weight: normal; white-space: pre-wrap; word-wrap: break-word; overflow-wrap: break-word; }\n"
                f"tr.empty td {{ height: {L(self.font_pt * PT_MM * self.line)}; }}\n"
                "thead { display: table-header-group; }\n"
                "tr { page-break-inside: avoid; break-inside: avoid; }\n"
                f".cover {{ text-align: center; padding-top: {L(60.0)}; }}\n"
                f".cover .big {{ font-size: {L(24 * PT_MM)}; line-height: 1.6; }}\n"
                f".cover .city {{ font-size: {L(18 * PT_MM)}; line-height: 1.6; padding-top: {L(8.0)}; }}\n"
                f".cover .toc {{ margin: {L(30.0)} auto 0 auto; width: {L(80.0)}; text-align: left; }}\n"
                ".cover .toc p { white-space: normal; }\n"
                ".cover .n { float: right; }\n"
                f".foot {{ text-align: center; font-size: {L(9 * PT_MM)}; overflow: hidden; }}\n")


# --------------------------------------------------------------------------
# Text edition -> tables and blocks
# --------------------------------------------------------------------------

LABEL_UNITS = 24     # a cell this short (half-width units) is a label: it must not wrap
SIDE_UNITS = 40      # two cells this long in one row sit side by side ...
SIDE_LINES = 3.4     # ... and their columns are narrow enough for this many lines


class Cell:
    def __init__(self, text, col, colspan=1, rowspan=1):
        self.text = text
        self.col = col
        self.colspan = colspan
        self.rowspan = rowspan


class Row:
    def __init__(self, cells, kind="row", cont=False):
        self.cells = cells
        self.kind = kind    # 'row', 'para' (full-width text), 'empty' (empty full-width row)
        self.cont = cont    # the lower half of a spanned pair: never split a table before it


def summary_rows(rows, r, ncols):
    """A goal of the summary table: the number spans both lines, the title the empty
    fields after it (up to the last field, the grade)."""
    a = rows[r] + [""] * (ncols - len(rows[r]))
    b = rows[r + 1] + [""] * (ncols - len(rows[r + 1]))
    top = [Cell(a[0], 0, rowspan=2)] + [Cell(t, i) for i, t in enumerate(a[1:], 1)]
    low = []
    i = 1
    while i < ncols - 1:
        j = i + 1
        while j < ncols - 1 and not b[j].strip() and b[i].strip():
            j += 1
        low.append(Cell(b[i], i, colspan=j - i))
        i = j
    low.append(Cell(b[ncols - 1], ncols - 1))
    return Row(top), Row(low, cont=True)


def plain_table(lines):
    """A run of TAB lines: one row a line, short rows padded; summary goals spanned."""
    rows = [ln.cells for ln in lines]
    ncols = max(len(r) for r in rows)
    out = []
    r = 0
    while r < len(rows):
        if ncols > 2 and mp.summary_pair(rows, r):
            out += summary_rows(rows, r, ncols)
            r += 2
            continue
        cells = rows[r] + [""] * (ncols - len(rows[r]))
        out.append(Row([Cell(t, i) for i, t in enumerate(cells)]))
        r += 1
    summary = any(c.rowspan > 1 for row in out for c in row.cells)
    return out, ncols, (len(out) > 1 and not summary)


def detail_table(lines):
    """A whole detail page as one table (the first line, 部(局)名, is the heading row)."""
    ncols = max((len(ln.cells) for ln in lines if ln.kind == "row"), default=1)
    out = []
    for ln in lines:
        if ln.kind == "blank":
            out.append(Row([Cell("", 0, colspan=ncols)], kind="empty"))
        elif ln.kind == "para":
            out.append(Row([Cell(ln.cells[0], 0, colspan=ncols)], kind="para"))
        else:
            cells = [Cell(t, i) for i, t in enumerate(ln.cells)]
            cells[-1].colspan = ncols - len(ln.cells) + 1
            out.append(Row(cells))
    return out, ncols, True


def column_widths(rows, ncols, style):
    """Column widths in mm (with padding and border) for a fixed-layout table."""
    extra = 2 * style.pad_h + 0.5
    avail = (style.content_w - ncols * extra) / style.unit_mm   # text units for all columns
    for keep in (SIDE_UNITS, LABEL_UNITS):
        # cells up to `keep` units do not wrap: up to 20 full-width characters if they
        # fit side by side, else up to 12 (labels)
        floor = [2.0] * ncols
        longest = [0] * ncols
        cap = [None] * ncols
        for row in rows:
            longs = sum(1 for c in row.cells if mp.units(c.text.strip()) > SIDE_UNITS)
            for c in row.cells:
                if c.colspan != 1:
                    continue
                u = mp.units(c.text.strip())
                if u <= keep:
                    floor[c.col] = max(floor[c.col], u + 1.5)
                else:
                    longest[c.col] = max(longest[c.col], u)
                if longs >= 2 and u > SIDE_UNITS:
                    cap[c.col] = min(cap[c.col] if cap[c.col] is not None else 1e9, u / SIDE_LINES)
        if sum(max(f, c or 0) for f, c in zip(floor, cap)) <= avail:
            break
    width = [None] * ncols
    for i in range(ncols):
        if cap[i] is not None:
            width[i] = max(floor[i], cap[i])
        elif not longest[i]:
            width[i] = floor[i]
    flex = [i for i in range(ncols) if width[i] is None]
    if flex:
        fixed = {}
        while True:
            free = [i for i in flex if i not in fixed]
            room = avail - sum(w for w in width if w is not None) - sum(fixed.values())
            weight = sum(longest[i] for i in free)
            low = [i for i in free if room * longest[i] / weight < floor[i]]
            if not low:
                for i in free:
                    width[i] = room * longest[i] / weight
                break
            for i in low:
                fixed[i] = floor[i]
        for i, w in fixed.items():
            width[i] = w
    elif all(c is None for c in cap):
        # labels only: stretch them to the full width
        total = sum(width)
        width = [w * avail / total for w in width]
    if sum(width) > avail:
        total = sum(width)
        width = [w * avail / total for w in width]
    return [w * style.unit_mm + extra for w in width]


def goal_number(lines, s, e, ordinal):
    for ln in lines[s:e]:
        m = mp.GOAL_RE.match(mp.key(ln.cells[0])) if ln.cells else None
        if m:
            return int(m.group(1))
    return ordinal


def esc(s):
    return html.escape(s, quote=False)


def table_html(rows, ncols, heading, style, classes):
    widths = column_widths(rows, ncols, style)
    cls = f' class="{" ".join(classes)}"' if classes else ""
    out = [f'<table{cls} style="width:{style.L(sum(widths))}"><colgroup>']
    out += [f'<col style="width:{style.L(w)}">' for w in widths]
    out.append("</colgroup>")

    def tr(row, tag):
        attrs = ""
        if row.kind == "empty":
            attrs += ' class="empty"'
        if row.cont:
            attrs += ' data-cont="1"'
        cells = []
        for c in row.cells:
            span = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + \
                   (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
            cells.append(f"<{tag}{span}>{esc(c.text)}</{tag}>")
        return f"<tr{attrs}>" + "".join(cells) + "</tr>"

    body = rows
    if heading and len(rows) > 1:
        out.append("<thead>" + tr(rows[0], "th") + "</thead>")
        body = rows[1:]
    out.append("<tbody>" + "".join(tr(r, "td") for r in body) + "</tbody></table>")
    return "".join(out)


def doc_blocks(doc, n, first, opts, style):
    """HTML blocks of one document. first: no page break before its first block."""
    lines = doc.content()
    while lines and lines[0].kind == "blank":
        lines = lines[1:]
    while lines and lines[-1].kind == "blank":
        lines = lines[:-1]
    blocks = []
    pending = not first          # a page break is due before the next block
    start = True                 # the next block is the document's first
    title_done = False
    ordinal = 0
    i = 0

    def add(html_open, cls, rest):
        nonlocal pending, start
        cls = list(cls)
        if pending:
            cls.append("brk")
            # empty lines right before a page break would only pad the page's end (or
            # spill over onto a page of their own): drop them
            while blocks and blocks[-1].startswith('<div class="blank"') and "data-doc" not in blocks[-1]:
                blocks.pop()
        attrs = f' class="{" ".join(cls)}"' if cls else ""
        if start:
            attrs += f' data-doc="{n}"'
        blocks.append(html_open.replace("{attrs}", attrs) + rest)
        pending = start = False

    while i < len(lines):
        ln = lines[i]
        if ln.kind == "break":
            pending = True
            i += 1
            continue
        if ln.is_detail():
            ordinal += 1
            e = i + 1
            while e < len(lines) and not lines[e].is_detail() and lines[e].kind != "break":
                e += 1
            if opts.split_goal is None or goal_number(lines, i, e, ordinal) != opts.split_goal:
                pending = True
            if opts.one_table_details:
                span = lines[i:e]
                while len(span) > 1 and span[-1].kind == "blank":
                    span = span[:-1]
                rows, ncols, heading = detail_table(span)
                html_ = table_html(rows, ncols, heading, style, [])
                add("<table{attrs}", [], html_[len("<table"):])
                for _ in lines[i + len(span):e]:   # the empty lines after it
                    add("<div{attrs}", ["blank"], "></div>")
                i = e
                continue
        if ln.kind == "row":
            j = i + 1
            while j < len(lines) and lines[j].kind == "row" and not lines[j].is_detail():
                j += 1
            rows, ncols, heading = plain_table(lines[i:j])
            html_ = table_html(rows, ncols, heading, style, [])
            add("<table{attrs}", [], html_[len("<table"):])
            i = j
            continue
        if ln.kind == "para":
            cls = [] if title_done else ["title"]
            title_done = True
            add("<p{attrs}", cls, f">{esc(ln.cells[0])}</p>")
        else:
            add("<div{attrs}", ["blank"], "></div>")
        i += 1
    return blocks


YEAR_RE = re.compile(r"((?:令和|平成|昭和)\s*(?:\d+|元|[０-９]+)\s*年度)")


def cover_html(docs, city, pages=None):
    m = YEAR_RE.search(docs[0].title)
    year = (m.group(1) + " ") if m else ""
    toc = []
    for k, d in enumerate(docs):
        name = d.departments[0] if d.departments else f"{k + 1}"
        num = str(pages[k]) if pages else ""
        toc.append(f'<p>{esc(name)}<span class="n" id="toc{k}">{num}</span></p>')
    return (f'<div class="cover"><p class="big">{esc(year)}部局運営方針</p>'
            f'<p class="city">{esc(city)}</p>'
            f'<div class="toc"><p>目次</p>{"".join(toc)}</div></div>')


PAGINATE_JS = r"""
(function () {
  var PH = %(ph).4f, FOOT = %(foot).4f, SLACK = 3, LIMIT = PH - FOOT - SLACK;
  var doc = document.getElementById('doc');
  var blocks = [];
  for (var c = doc.firstChild; c; c = c.nextSibling) if (c.nodeType == 1) blocks.push(c);
  function top(e) { return e.getBoundingClientRect().top + window.pageYOffset; }
  function bottom(e) { return e.getBoundingClientRect().bottom + window.pageYOffset; }
  function has(e, cls) { return (' ' + e.className + ' ').indexOf(' ' + cls + ' ') >= 0; }
  var pageTop = top(doc), page = 1;
  function finish(before) {
    var y = before ? top(before) : bottom(doc);
    var fill = document.createElement('div');
    var h = pageTop + PH - FOOT - SLACK - y;
    fill.style.height = (h > 0 ? h : 0) + 'px';
    var foot = document.createElement('div');
    foot.className = 'foot';
    foot.style.height = FOOT + 'px';
    foot.style.lineHeight = FOOT + 'px';
    foot.appendChild(document.createTextNode(String(page)));
    doc.insertBefore(fill, before);
    doc.insertBefore(foot, before);
    if (before) {
      before.style.pageBreakBefore = 'always';
      pageTop = top(before);
      page++;
    }
  }
  var starts = {};
  for (var i = 0; i < blocks.length; i++) {
    var b = blocks[i];
    if (i > 0 && has(b, 'brk')) finish(b);
    for (var guard = 0; guard < 100 && bottom(b) - pageTop > LIMIT; guard++) {
      if (b.tagName == 'TABLE' && b.tBodies.length) {
        var rows = b.tBodies[0].rows, s = -1;
        for (var r = 0; r < rows.length; r++)
          if (bottom(rows[r]) - pageTop > LIMIT) { s = r; break; }
        while (s > 0 && rows[s].getAttribute('data-cont')) s--;
        if (s > 0) {
          var t2 = b.cloneNode(false);
          t2.className = '';
          t2.removeAttribute('data-doc');
          for (var k = b.firstChild; k; k = k.nextSibling)
            if (k.tagName == 'COLGROUP' || k.tagName == 'THEAD') t2.appendChild(k.cloneNode(true));
          var tb = document.createElement('tbody');
          t2.appendChild(tb);
          while (rows.length > s) tb.appendChild(rows[s]);
          doc.insertBefore(t2, b.nextSibling);
          blocks.splice(i + 1, 0, t2);
          finish(t2);
          break;
        }
      }
      if (top(b) - pageTop < 1) break;   /* taller than a page: let it be */
      finish(b);
    }
    if (b.getAttribute('data-doc') !== null) starts[b.getAttribute('data-doc')] = page;
  }
  finish(null);
  for (var d in starts) {
    var t = document.getElementById('toc' + d);
    if (t) t.appendChild(document.createTextNode(String(starts[d])));
  }
})();
"""


def page_html(docs, opts, style, toc_pages=None):
    blocks = []
    if opts.cover:
        blocks.append(cover_html(docs, opts.city, toc_pages))
    for n, doc in enumerate(docs):
        blocks += doc_blocks(doc, n, n == 0 and not opts.cover, opts, style)
    title = docs[0].title if len(docs) == 1 else (
        (YEAR_RE.search(docs[0].title).group(1) + " " if YEAR_RE.search(docs[0].title) else "") + "部局運営方針")
    script = ""
    if style.producer == "wkhtmltopdf":
        script = "<script>" + PAGINATE_JS % {"ph": style.page_px, "foot": style.foot * style.px_per_mm} + \
                 "</script>\n"
    return ('<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title>\n<style>\n{style.css()}</style></head>\n<body><div id=\"doc\">"
            + "\n".join(blocks) + "</div>\n" + script + "</body></html>\n")


# --------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-pdf-header-footer"]


def wk_cmd(style, src, dst):
    return ["wkhtmltopdf", "--quiet", "-s", "A4", "-O", "Portrait",
            "-T", f"{style.margin_t:g}mm", "-B", f"{style.margin_b:g}mm",
            "-L", f"{style.margin_lr:g}mm", "-R", f"{style.margin_lr:g}mm",
            "--disable-smart-shrinking", "--javascript-delay", "50", "--no-stop-slow-scripts",
            "--enable-local-file-access", "--encoding", "utf-8", str(src), str(dst)]


def run_engine(cmd, dst):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    except subprocess.TimeoutExpired:
        sys.exit(f"error: {cmd[0]} timed out")
    if not Path(dst).is_file() or Path(dst).stat().st_size == 0:
        sys.stderr.write(r.stderr.decode(errors="replace")[-2000:])
        sys.exit(f"error: {cmd[0]} wrote no PDF ({dst})")


def page_texts(pdf):
    r = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    pages = r.stdout.decode("utf-8", errors="replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def calibrate(style, tmp):
    """wkhtmltopdf: the content height of a page in layout pixels, to 1/4 px."""
    def probe(body, name):
        src, dst = Path(tmp) / f"{name}.html", Path(tmp) / f"{name}.pdf"
        src.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;padding:0}'
                       'div{margin:0;padding:0;overflow:visible}</style></head><body>'
                       + body + "</body></html>", encoding="utf-8")
        run_engine(wk_cmd(style, src, dst), dst)
        return page_texts(dst)

    step = 3
    coarse = "".join(f'<div style="height:{step}px;line-height:{step}px;font-size:{step}px">c{i}</div>'
                     for i in range(1200))
    pages = probe(coarse, "coarse")
    if len(pages) < 2:
        sys.exit("error: wkhtmltopdf calibration failed (one page)")
    first = int(re.search(r"c(\d+)", pages[1]).group(1))
    low = first * step - step              # the page holds at least `first` lines
    fine = ""
    q = 0.25
    n = int(2 * step / q) + 1
    for i in range(n):
        s = low + i * q
        fine += (f'<div style="page-break-before:always;height:{s - 10:.2f}px;font-size:8px;'
                 f'line-height:10px">S{i}</div><div style="height:10px;font-size:8px;line-height:10px">P{i}</div>')
    pages = probe(fine, "fine")
    fit = None
    for p in pages:
        m = re.search(r"S(\d+)", p)
        if m and re.search(rf"P{m.group(1)}\b", p):
            fit = low + int(m.group(1)) * q
    if fit is None:
        sys.exit("error: wkhtmltopdf calibration failed")
    style.page_px = fit
    style.px_per_mm = fit / style.content_h
    style.border_mm = 1 / style.px_per_mm


class Builder:
    def __init__(self, opts):
        self.opts = opts
        self.style = Style(opts.producer, opts.font)
        self.tmp = tempfile.mkdtemp(prefix=f"hoshin-{opts.producer}-")
        self.local = threading.local()
        if opts.producer == "wkhtmltopdf":
            calibrate(self.style, self.tmp)

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def profile(self):
        if not hasattr(self.local, "profile"):
            self.local.profile = tempfile.mkdtemp(prefix="profile-", dir=self.tmp)
        return self.local.profile

    def render(self, html_text, work, stem, opts):
        src, dst = work / f"{stem}.html", work / f"{stem}.pdf"
        src.write_text(html_text, encoding="utf-8")
        if dst.exists():
            dst.unlink()
        if self.opts.producer == "chromium":
            cmd = CHROMIUM + (["--disable-pdf-tagging"] if opts.no_tags else []) + \
                [f"--user-data-dir={self.profile()}", f"--print-to-pdf={dst}", src.resolve().as_uri()]
        else:
            cmd = wk_cmd(self.style, src, dst)
        run_engine(cmd, dst)
        return src, dst

    def build(self, inputs, out, opts=None):
        """Print inputs (one document, or several with opts.compile) to out."""
        opts = opts or self.opts
        docs = [mp.Doc(p) for p in inputs]
        work = Path(tempfile.mkdtemp(prefix="job-", dir=self.tmp))
        style = self.style
        if getattr(opts, "font", style.font) != style.font:   # a corpus case in another font
            style = copy.copy(style)
            style.font = opts.font
        src, dst = self.render(page_html(docs, opts, style), work, "page", opts)
        warnings = []
        if opts.cover and self.opts.producer == "chromium":
            pages = self.doc_pages(docs, dst)
            if pages:
                src, dst = self.render(page_html(docs, opts, style, pages), work, "page", opts)
            else:
                warnings.append("could not find the documents' first pages for the contents")
        if self.opts.producer == "wkhtmltopdf":
            texts = page_texts(dst)
            bad = [i for i, t in enumerate(texts, 1)
                   if (t.strip().splitlines() or [""])[-1].strip() != str(i)]
            if bad:
                warnings.append(f"pagination: pages {bad[:5]} do not end with their page number")
        data = mp.fix_metadata(dst.read_bytes())
        out.parent.mkdir(parents=True, exist_ok=True)
        part = out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        part.write_bytes(data)
        os.replace(part, out)
        if opts.keep_html:
            shutil.copyfile(src, out.with_suffix(".html"))
        shutil.rmtree(work, ignore_errors=True)
        return docs, warnings

    @staticmethod
    def doc_pages(docs, pdf):
        """First page (1-based) of each document, found by its title."""
        texts = [mp.key(t) for t in page_texts(pdf)]
        pages, p = [], 1            # page 1 is the cover
        for d in docs:
            want = mp.key(d.title)
            hit = next((i for i in range(p, len(texts)) if want and want in texts[i]), None)
            if hit is None:
                return None
            pages.append(hit + 1)
            p = hit + 1
        return pages


# The test corpus: tests/producers/<producer>/ (text editions in samples/).
# name -> (inputs, options)
END = "kashiwara_r3_seisakusuishin_end.txt"
CORPUS = {
    "chromium": [
        ("seisakusuishin.pdf", ["kashiwara_r3_seisakusuishin.txt"], {}),
        ("seisakusuishin_end.pdf", [END], {}),
        ("r4_end.pdf", ["kashiwara_r4_seisakusuishin_end.txt"], {"one_table_details": True, "split_goal": 3}),
        ("compiled.pdf", [END, "kashiwara_r3_somu.txt"], {"compile": True, "cover": True, "no_tags": True}),
    ],
    "wkhtmltopdf": [
        ("seisakusuishin.pdf", ["kashiwara_r3_seisakusuishin.txt"], {"one_table_details": True}),
        ("seisakusuishin_end.pdf", [END], {"one_table_details": True, "split_goal": 2}),
        ("r4_end.pdf", ["kashiwara_r4_seisakusuishin_end.txt"], {"one_table_details": True}),
        ("compiled.pdf", [END, "kashiwara_r3_somu.txt"],
         {"one_table_details": True, "compile": True, "cover": True}),
        # Noto Sans CJK: Qt writes the ToUnicode map from the font's cmap, which gives
        # radicals (⾏ for 行, ⻑ for 長) and U+2027 for ・ where glyphs are shared
        ("seisakusuishin_noto.pdf", ["kashiwara_r3_seisakusuishin.txt"], {"font": "Noto Sans CJK JP"}),
    ],
}


def build_corpus(a, producers):
    ok = True
    for producer in producers:
        folder = mp.ROOT / "tests" / "producers" / producer
        a.producer = producer
        a.font = a.user_font or FONTS[producer]
        builder = Builder(a)
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
                futures = []
                for name, inputs, extra in CORPUS[producer]:
                    opts = argparse.Namespace(**{**vars(a), "compile": False, "cover": False,
                                                 "one_table_details": False, "split_goal": None,
                                                 "no_tags": False, **extra})
                    paths = [mp.SAMPLES_DIR / t for t in inputs]
                    futures.append((folder / name, pool.submit(builder.build, paths, folder / name, opts)))
                for out, f in futures:
                    docs, warnings = f.result()
                    for w in warnings:
                        print(f"warning: {out}: {w}", file=sys.stderr)
                    ok &= a.no_check or mp.report(out, docs)
        finally:
            builder.close()
        cases = "".join(f"{name}\t{' '.join(inputs)}" + ("\t1" if extra.get("cover") else "") + "\n"
                        for name, inputs, extra in CORPUS[producer])
        part = folder / f".cases.tsv.{os.getpid()}.tmp"
        part.write_text(cases, encoding="utf-8")
        os.replace(part, folder / "cases.tsv")
    return ok


FONTS = {"chromium": "IPAexGothic", "wkhtmltopdf": "TakaoGothic"}


def main():
    ap = argparse.ArgumentParser(description="Print 部局運営方針 text editions as HTML tables to PDF "
                                             "(Chromium or wkhtmltopdf).")
    ap.add_argument("inputs", nargs="*", help="text editions")
    ap.add_argument("--producer", choices=("chromium", "wkhtmltopdf"))
    ap.add_argument("--corpus", action="store_true",
                    help="rebuild tests/producers/chromium and .../wkhtmltopdf (or --producer's) "
                         "and their cases.tsv")
    ap.add_argument("--out", help="output folder, one PDF per input (default: .)")
    ap.add_argument("-o", dest="output", help="output PDF (one input, or --compile)")
    ap.add_argument("--compile", action="store_true", help="one PDF holding all inputs")
    ap.add_argument("--cover", action="store_true", help="with --compile: a cover page first")
    ap.add_argument("--one-table-details", action="store_true", help="each detail page is one table")
    ap.add_argument("--split-goal", type=int, metavar="N", help="no page break before goal N's detail page")
    ap.add_argument("--font", dest="user_font", help="font family")
    ap.add_argument("--no-tags", action="store_true",
                    help="chromium: an untagged PDF (--disable-pdf-tagging; Chromium tags by default)")
    ap.add_argument("--city", default="柏原市", help="the city on the cover")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--keep-html", action="store_true", help="keep the .html next to each PDF")
    ap.add_argument("--no-check", action="store_true", help="no pdfinfo/pdffonts/pdftotext report")
    a = ap.parse_args()
    if a.corpus:
        if a.inputs or a.output or a.out:
            ap.error("--corpus takes no inputs and no --out/-o")
        sys.exit(0 if build_corpus(a, [a.producer] if a.producer else list(CORPUS)) else 1)
    if not a.producer:
        ap.error("--producer is required")
    if not a.inputs:
        ap.error("no inputs")
    a.font = a.user_font or FONTS[a.producer]
    if a.cover and not a.compile:
        ap.error("--cover needs --compile")
    if a.compile:
        if not a.output:
            ap.error("--compile needs -o X.pdf")
        jobs = [(a.inputs, Path(a.output))]
    elif a.output:
        if len(a.inputs) != 1:
            ap.error("-o takes one input (or --compile); use --out DIR for several")
        jobs = [(a.inputs, Path(a.output))]
    else:
        jobs = [([p], Path(a.out or ".") / (Path(p).stem + ".pdf")) for p in a.inputs]
    for inputs, _ in jobs:
        for p in inputs:
            if not Path(p).is_file():
                sys.exit(f"error: {p}: no such file")

    builder = Builder(a)
    ok = True
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            futures = [(out, pool.submit(builder.build, inputs, out)) for inputs, out in jobs]
            for out, f in futures:
                docs, warnings = f.result()
                for w in warnings:
                    print(f"warning: {out}: {w}", file=sys.stderr)
                if a.no_check:
                    print(out)
                else:
                    ok &= mp.report(out, docs)
    finally:
        builder.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
