#!/usr/bin/env python3
"""Build realistic PDFs of 部局運営方針 documents from their text editions.

Cities write these documents in Word or Excel and publish PDF exports. This
tool rebuilds such PDFs from the text editions in samples/: it writes a flat
ODF file (.fodt for Writer, .fods for Calc) with the standard library only and
converts it with LibreOffice headless, as a city's office suite would.

Usage (from anywhere; paths are relative to the current directory):
  python3 tools/make_pdfs.py [--out DIR] [--only NAME]
      build the sample PDFs listed in SAMPLES below (default DIR: samples/)
  python3 tools/make_pdfs.py INPUT.txt... [--calc] [--split-goal N] [--out DIR | -o X.pdf]
      one PDF per input, DIR/STEM.pdf (or X.pdf for a single input)
  python3 tools/make_pdfs.py --compile A.txt B.txt... -o X.pdf [--calc] [--split-goal N]
      one PDF holding the documents one after the other, each on a new page
Options:
  --calc          Calc mode: a spreadsheet (one text line = one row), as Excel exports look
  --split-goal N  Writer mode: no page break before goal N's detail page; instead its
                  detail rows form one table that is broken after the 今年度の達成目標
                  block, and the table's heading row appears again on the next page
  --no-heading-rows  Writer mode: do not mark tables' first rows as repeating heading rows
  --font NAME     the font family for all text (default IPAexGothic; e.g. "Noto Serif CJK JP",
                  "TakaoMincho")
  --cell-padding MM  left/right cell padding (default 1.9, Word's)
  --span-summary  Writer mode: in the goal summary table, the goal number cell spans the goal's
                  two rows and the title spans the empty cells after it, as in cities' Word forms
  --no-autospace  no extra space between Japanese and Latin/digits (on by default,
                  as in Word and LibreOffice)
  --keep-odf      also keep the generated .fodt/.fods next to each PDF
  --no-check      skip the pdfinfo/pdffonts/pdftotext report

Writer mode: A4 portrait, 20 mm margins, IPAexGothic 10.5 pt everywhere (title
14 pt), page number right in the header, "柏原市 部局運営方針" centred in the
footer. Each run of consecutive lines holding TABs is a table (one row a line,
one cell a field, short rows padded, 0.5 pt borders, 1.9 mm left/right and 0.5 mm top/bottom padding, first row a
repeating heading row, rows may split across pages). Lines of dashes
('-------<TAB>-------') are rules of the text export and are dropped. Other lines
are paragraphs; empty lines are empty paragraphs. A page break precedes every
detail page (a line whose first cell is 部(局)名).

Calc mode: one sheet per document, one row per line, one cell per field (the last
field of a short row and every line without TABs are merged to the right edge, as
in the cities' Excel forms), wrap on, columns 35 mm or 60 mm (a column is wide when
it holds text longer than 20 full-width characters), borders on non-empty rows,
row heights set from the text, manual page breaks before 部(局)名 rows, printed
scaled to one page wide.

Deterministic: the same inputs give the same ODF bytes and the same layout. The
PDF's creation date and /ID are then overwritten in place (same byte length, so
the cross-reference table stays valid) with a fixed date and a hash of the
content, so reruns give identical PDFs with the same LibreOffice and fonts.
Set SOURCE_DATE_EPOCH to choose another date.

Each PDF is written to a temporary name and renamed into place. LibreOffice runs
with a private profile (HOSHIN_LO_PROFILE, default /tmp/hoshin-lo-profile); a
lock file next to it serialises runs that share it.
"""

import argparse
import fcntl
import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "samples"

# name -> (mode, inputs in samples/, split goal)
SAMPLES = {
    "kashiwara_r3_seisakusuishin": ("writer", ["kashiwara_r3_seisakusuishin.txt"], None),
    "kashiwara_r3_seisakusuishin_end": ("calc", ["kashiwara_r3_seisakusuishin_end.txt"], None),
    "kashiwara_r3_compiled": (
        "writer", ["kashiwara_r3_seisakusuishin.txt", "kashiwara_r3_somu.txt"], None),
    "kashiwara_r3_seisakusuishin_pagebreak": (
        "writer", ["kashiwara_r3_seisakusuishin_end.txt"], 2),
}

FONT = "IPAexGothic"
FONT_PT = 10.5
TITLE_PT = 14.0
FOOTER_TEXT = "柏原市 部局運営方針"
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 20.0
TEXT_W = PAGE_W - 2 * MARGIN              # 170 mm
CELL_PAD = 1.9    # mm, Word's default left/right cell margin
CELL_PAD_V = 0.5  # mm, top/bottom (Word's default is 0)
MIN_COL = 15.0                            # mm
LABEL_UNITS = 20                          # a cell this short (in half-width units) should not wrap
CALC_NARROW, CALC_WIDE = 35.0, 60.0       # mm
CALC_WIDE_UNITS = 40                      # longer than 20 full-width characters -> wide column
PT_MM = 25.4 / 72
UNIT_MM = FONT_PT * PT_MM / 2             # one half-width unit at 10.5 pt
DEFAULT_EPOCH = 1648684800                # 2022-03-31T00:00:00Z

RULE_CELL = re.compile(r"-{3,}")
DETAIL_KEY = "部(局)名"
TARGET_KEY = "今年度の達成目標"
GOAL_RE = re.compile(r"重点目標\s*(\d+)")
DEPT_RE = re.compile(r"(\S+?(?:部|局|室|委員会))の運営方針")


# --------------------------------------------------------------------------
# Text edition -> lines
# --------------------------------------------------------------------------

def key(s):
    """Matching form: NFKC, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def decode(data, path):
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                     (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        sys.exit(f"error: {path}: neither UTF-8 nor CP932")


class Line:
    """One line of a text edition: kind is 'blank', 'para', 'row', 'rule' or 'break' (form feed)."""

    def __init__(self, kind, cells=(), no=0):
        self.kind = kind
        self.cells = list(cells)
        self.no = no

    @property
    def first(self):
        return key(self.cells[0]) if self.cells else ""

    def is_detail(self):
        return self.kind in ("row", "para") and self.first == DETAIL_KEY


class Doc:
    def __init__(self, path):
        self.path = Path(path)
        text = decode(self.path.read_bytes(), path)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = []
        for no, raw in enumerate(text.split("\n"), 1):
            for j, part in enumerate(raw.split("\f")):
                if j:
                    self.lines.append(Line("break", no=no))
                self.lines.append(self._line(part, no))
        self.title = next((ln.cells[0] for ln in self.lines if ln.kind == "para"), "")
        self.departments = self._departments()

    @staticmethod
    def _line(raw, no):
        if "\t" in raw:
            cells = raw.split("\t")
            if all(RULE_CELL.fullmatch(c.strip()) or not c.strip() for c in cells) \
                    and any(c.strip() for c in cells):
                return Line("rule", no=no)
            return Line("row", cells, no)
        if RULE_CELL.fullmatch(raw.strip()):
            return Line("rule", no=no)
        if not raw.strip():
            return Line("blank", no=no)
        return Line("para", [raw], no)

    def _departments(self):
        names = []
        m = DEPT_RE.search(self.title)
        if m:
            names.append(m.group(1))
        for ln in self.lines:
            if ln.kind == "row" and len(ln.cells) > 1 and ln.first in ("部(局)", DETAIL_KEY):
                name = ln.cells[1].strip()
                if name and name not in names:
                    names.append(name)
        return names

    def content(self):
        """Lines without rules."""
        return [ln for ln in self.lines if ln.kind != "rule"]


def detail_span(lines, goal):
    """(start, end) indexes in lines of goal N's detail page, or None."""
    starts = [i for i, ln in enumerate(lines) if ln.is_detail()]
    for n, s in enumerate(starts):
        e = starts[n + 1] if n + 1 < len(starts) else len(lines)
        number = None
        for ln in lines[s:e]:
            m = GOAL_RE.match(key(ln.cells[0])) if ln.cells else None
            if m:
                number = int(m.group(1))
                break
        if number == goal or (number is None and n + 1 == goal):
            while e > s + 1 and lines[e - 1].kind == "blank":
                e -= 1
            return s, e
    return None


def split_point(lines, s, e):
    """Index of the first line after goal's 今年度の達成目標 block (within s..e)."""
    i = next((i for i in range(s, e) if lines[i].cells and
              lines[i].first.startswith(TARGET_KEY)), None)
    if i is None:
        return None
    while i < e and lines[i].kind != "blank":
        i += 1
    while i < e and lines[i].kind == "blank":
        i += 1
    return i if s < i < e else None


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------

def units(s):
    """Display width in half-width units."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def natural_mm(u):
    # 3 mm slack: autospace widens the gaps between Japanese and Latin text
    return u * UNIT_MM + 2 * CELL_PAD + 3.0


def column_widths(rows, ncols, total=TEXT_W):
    """Widths proportional to the longest content per column, at least MIN_COL,
    at least wide enough that a short (label) cell does not wrap."""
    longest = [0] * ncols
    floor = [MIN_COL] * ncols
    for cells in rows:
        if len(cells) == 1 and ncols > 1:
            continue  # spans the whole table
        for i, c in enumerate(cells[:ncols]):
            u = units(c.strip())
            longest[i] = max(longest[i], u)
            if u <= LABEL_UNITS:
                floor[i] = max(floor[i], natural_mm(u))
    if sum(floor) > total:
        floor = [MIN_COL] * ncols
    fixed = {}
    while True:
        free = [i for i in range(ncols) if i not in fixed]
        if not free:
            break
        room = total - sum(fixed.values())
        weight = sum(longest[i] for i in free)
        changed = False
        for i in free:
            w = room * longest[i] / weight if weight else room / len(free)
            if w < floor[i]:
                fixed[i] = floor[i]
                changed = True
        if not changed:
            for i in free:
                fixed[i] = room * longest[i] / weight if weight else room / len(free)
            break
    return [round(fixed[i], 2) for i in range(ncols)]


# --------------------------------------------------------------------------
# ODF helpers
# --------------------------------------------------------------------------

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
}


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def odf_text(s):
    """Escape text for a text:p, keeping runs of spaces (ODF collapses them)."""
    out = []
    for m in re.finditer(r" +|[^ ]+", s):
        t = m.group(0)
        if t[0] != " ":
            out.append(esc(t))
        elif len(t) == 1 and m.start() and m.end() < len(s):
            out.append(" ")
        else:
            out.append(f'<text:s text:c="{len(t)}"/>')
    return "".join(out)


def mm(x):
    return f"{x:.2f}mm"


def document(mimetype, meta_title, font_decls, styles, auto_styles, master, body):
    nsdecl = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document {nsdecl} office:version="1.3" office:mimetype="{mimetype}">\n'
        f'<office:meta><dc:title>{esc(meta_title)}</dc:title><dc:language>ja-JP</dc:language>'
        '<meta:generator>hoshin tools/make_pdfs.py</meta:generator></office:meta>\n'
        f'<office:font-face-decls><style:font-face style:name="{FONT}" svg:font-family="{FONT}" '
        'style:font-family-generic="modern" style:font-pitch="variable"/>'
        f'{font_decls}</office:font-face-decls>\n'
        f'<office:styles>{styles}</office:styles>\n'
        f'<office:automatic-styles>{auto_styles}</office:automatic-styles>\n'
        f'<office:master-styles>{master}</office:master-styles>\n'
        f'<office:body>{body}</office:body>\n'
        '</office:document>\n')


def text_props(pt=FONT_PT):
    return (f'<style:text-properties style:font-name="{FONT}" fo:font-size="{pt}pt" '
            f'style:font-name-asian="{FONT}" style:font-size-asian="{pt}pt" '
            f'style:font-name-complex="{FONT}" style:font-size-complex="{pt}pt" '
            'fo:language="en" fo:country="US" style:language-asian="ja" style:country-asian="JP" '
            'fo:hyphenate="false"/>')


OPTIONS = {"heading_rows": True, "autospace": "ideograph-alpha", "span_summary": False}


def summary_pair(rows, r):
    """True when rows[r] and rows[r + 1] are one goal of the summary table:
    'N<TAB>...' then '<TAB>title<TAB><TAB>...<TAB>grade'."""
    return (r + 1 < len(rows) and rows[r] and key(rows[r][0]).isdigit()
            and len(rows[r + 1]) > 2 and not rows[r + 1][0].strip() and rows[r + 1][1].strip())


def para_props():
    return ('fo:margin-left="0mm" fo:margin-right="0mm" fo:margin-top="0mm" '
            'fo:margin-bottom="0mm" fo:text-indent="0mm" fo:text-align="start" '
            f'style:justify-single-word="false" style:text-autospace="{OPTIONS["autospace"]}" '
            'style:punctuation-wrap="hanging" style:line-break="strict"')


# --------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------

class WriterBuilder:
    def __init__(self):
        self.auto = []
        self.body = []
        self.ntables = 0
        self.splits = 0

    def para(self, text="", style="Body", brk=False):
        name = "PBreak" + ("Title" if style == "Title" else "") if brk else style
        inner = odf_text(text)
        self.body.append(f'<text:p text:style-name="{name}">{inner}</text:p>' if inner
                         else f'<text:p text:style-name="{name}"/>')

    def table(self, rows, brk=False, widths=None, span_single=False):
        """rows: list of cell lists. The first row is a repeating heading row."""
        self.ntables += 1
        n = self.ntables
        ncols = max(len(r) for r in rows)
        widths = widths or column_widths(rows, ncols)
        name = f"Tab{n}"
        brk_attr = ' fo:break-before="page"' if brk else ""
        self.auto.append(
            f'<style:style style:name="{name}" style:family="table">'
            f'<style:table-properties style:width="{mm(sum(widths))}" table:align="left" '
            f'fo:margin-left="0mm" fo:margin-top="0mm" fo:margin-bottom="0mm" '
            f'style:may-break-between-rows="true"{brk_attr}/></style:style>')
        for i, w in enumerate(widths):
            self.auto.append(
                f'<style:style style:name="{name}.C{i + 1}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{mm(w)}"/></style:style>')
        out = [f'<table:table table:name="{name}" table:style-name="{name}">']
        out += [f'<table:table-column table:style-name="{name}.C{i + 1}"/>' for i in range(ncols)]
        spanned = set()  # rows whose first cell is covered by the number above
        for r, cells in enumerate(rows):
            row = ['<table:table-row table:style-name="Row">']
            if OPTIONS["span_summary"] and summary_pair(rows, r):
                padded = cells + [""] * (ncols - len(cells))
                row.append(self._cell(padded[0], rows=2))
                row += [self._cell(c) for c in padded[1:]]
                spanned.add(r + 1)
            elif r in spanned:
                padded = cells + [""] * (ncols - len(cells))
                # the title over the empty cells up to the last (the grade)
                row.append("<table:covered-table-cell/>")
                row.append(self._cell(padded[1], ncols - 2))
                row += ["<table:covered-table-cell/>"] * (ncols - 3)
                row.append(self._cell(padded[-1]))
            elif span_single and len(cells) == 1 and ncols > 1:
                row.append(self._cell(cells[0], ncols))
                row += ["<table:covered-table-cell/>"] * (ncols - 1)
            else:
                padded = cells + [""] * (ncols - len(cells))
                row += [self._cell(c) for c in padded]
            row.append("</table:table-row>")
            if r == 0 and OPTIONS["heading_rows"]:
                out.append("<table:table-header-rows>" + "".join(row) + "</table:table-header-rows>")
            else:
                out.append("".join(row))
        out.append("</table:table>")
        self.body.append("".join(out))
        return widths

    @staticmethod
    def _cell(text, span=1, rows=1):
        attr = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        attr += f' table:number-rows-spanned="{rows}"' if rows > 1 else ""
        inner = odf_text(text)
        p = (f'<text:p text:style-name="Cell">{inner}</text:p>' if inner
             else '<text:p text:style-name="Cell"/>')
        return (f'<table:table-cell table:style-name="CellBox"{attr} '
                f'office:value-type="string">{p}</table:table-cell>')

    def add_doc(self, doc, first, split_goal):
        lines = doc.content()
        title_done = False
        pending_break = not first
        span = detail_span(lines, split_goal) if split_goal else None
        sp = split_point(lines, *span) if span else None
        if split_goal and sp is None:
            print(f"warning: {doc.path}: goal {split_goal} has no detail page with a "
                  f"{TARGET_KEY} block; nothing split", file=sys.stderr)
            span = None
        i = 0
        while i < len(lines):
            ln = lines[i]
            if span and i == span[0]:
                s, e = span
                rows = [l.cells if l.kind != "blank" else [""] for l in lines[s:e]]
                ncols = max(len(r) for r in rows)
                widths = column_widths(rows, ncols)
                cut = sp - s
                self.table(rows[:cut], brk=pending_break, widths=widths, span_single=True)
                # Writer ignores page breaks on rows inside a table; the
                # continuation is a second table that starts on a new page with
                # the heading row repeated, which is what Writer prints when a
                # table runs over a page.
                self.table([rows[0]] + rows[cut:], brk=True, widths=widths, span_single=True)
                self.splits += 1
                pending_break = False
                i = e
                continue
            if ln.kind == "break":
                pending_break = True
                i += 1
                continue
            if ln.kind == "row":
                rows = [ln.cells]
                brk = pending_break or ln.is_detail()
                j = i + 1
                while j < len(lines) and lines[j].kind == "row" and not lines[j].is_detail() \
                        and not (span and j == span[0]):
                    rows.append(lines[j].cells)
                    j += 1
                self.table(rows, brk=brk)
                pending_break = False
                i = j
                continue
            if ln.kind == "para" and not title_done:
                self.para(ln.cells[0], "Title", pending_break or ln.is_detail())
                title_done = True
            elif ln.kind == "para":
                self.para(ln.cells[0], "Body", pending_break or ln.is_detail())
            else:
                self.para("", "Body", pending_break)
            pending_break = False
            i += 1

    def render(self, meta_title):
        para_style = f'<style:paragraph-properties {para_props()}/>'
        styles = (
            '<style:default-style style:family="paragraph">'
            f'{para_style}{text_props()}</style:default-style>'
            '<style:default-style style:family="table"><style:table-properties table:border-model="collapsing"/></style:default-style>'
            '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
            f'{para_style}{text_props()}</style:style>'
            '<style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"/>'
            '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">'
            f'{text_props(TITLE_PT)}</style:style>'
            '<style:style style:name="Cell" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>'
            '<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
            '<style:paragraph-properties fo:text-align="end"/></style:style>'
            '<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
            '<style:paragraph-properties fo:text-align="center"/></style:style>')
        auto = (
            f'<style:page-layout style:name="PL"><style:page-layout-properties '
            f'fo:page-width="{mm(PAGE_W)}" fo:page-height="{mm(PAGE_H)}" style:print-orientation="portrait" '
            f'fo:margin-top="{mm(MARGIN)}" fo:margin-bottom="{mm(MARGIN)}" '
            f'fo:margin-left="{mm(MARGIN)}" fo:margin-right="{mm(MARGIN)}" style:writing-mode="lr-tb"/>'
            '<style:header-style><style:header-footer-properties fo:min-height="0mm" fo:margin-bottom="4mm"/></style:header-style>'
            '<style:footer-style><style:header-footer-properties fo:min-height="0mm" fo:margin-top="4mm"/></style:footer-style>'
            '</style:page-layout>'
            '<style:style style:name="PBreak" style:family="paragraph" style:parent-style-name="Body">'
            '<style:paragraph-properties fo:break-before="page"/></style:style>'
            '<style:style style:name="PBreakTitle" style:family="paragraph" style:parent-style-name="Title">'
            '<style:paragraph-properties fo:break-before="page"/></style:style>'
            '<style:style style:name="Row" style:family="table-row">'
            '<style:table-row-properties fo:keep-together="auto"/></style:style>'
            '<style:style style:name="CellBox" style:family="table-cell">'
            '<style:table-cell-properties fo:border="0.5pt solid #000000" '
            f'fo:padding-left="{mm(CELL_PAD)}" fo:padding-right="{mm(CELL_PAD)}" '
            f'fo:padding-top="{mm(CELL_PAD_V)}" fo:padding-bottom="{mm(CELL_PAD_V)}" style:vertical-align="top"/></style:style>'
            + "".join(self.auto))
        master = (
            '<style:master-page style:name="Standard" style:page-layout-name="PL">'
            '<style:header><text:p text:style-name="Header">'
            '<text:page-number text:select-page="current">1</text:page-number></text:p></style:header>'
            f'<style:footer><text:p text:style-name="Footer">{esc(FOOTER_TEXT)}</text:p></style:footer>'
            '</style:master-page>')
        body = "<office:text>" + "\n".join(self.body) + "</office:text>"
        return document("application/vnd.oasis.opendocument.text", meta_title, "",
                        styles, auto, master, body)


def build_writer(docs, split_goal):
    b = WriterBuilder()
    for n, doc in enumerate(docs):
        b.add_doc(doc, n == 0, split_goal)
    if split_goal and not b.splits:
        sys.exit(f"error: --split-goal {split_goal}: no input has that goal's detail page")
    return b.render(meta_title(docs))


def meta_title(docs):
    return "、".join(d.title for d in docs if d.title)


# --------------------------------------------------------------------------
# Calc
# --------------------------------------------------------------------------

def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def calc_layout(lines, ncols):
    """Per line: list of (text, first column, span)."""
    out = []
    for ln in lines:
        if ln.kind == "row":
            cells = ln.cells[:ncols]
            placed = [(c, i, 1) for i, c in enumerate(cells)]
            if len(cells) < ncols:
                t, i, _ = placed[-1]
                placed[-1] = (t, i, ncols - i)
            out.append(placed)
        elif ln.kind == "para":
            out.append([(ln.cells[0], 0, ncols)])
        else:
            out.append([])
    return out


def calc_widths(layout, ncols):
    longest = [0] * ncols
    for placed in layout:
        for t, i, span in placed:
            if span == 1:
                longest[i] = max(longest[i], units(t.strip()))
    return [CALC_WIDE if u > CALC_WIDE_UNITS else CALC_NARROW for u in longest]


def text_lines(text, width_mm, pt):
    """Lines a wrapped cell needs (an estimate with a little slack)."""
    unit = pt * PT_MM / 2
    cap = max(1, int((width_mm - 2 * CELL_PAD - 1.5) / unit))
    u = units(text.strip())
    return max(1, math.ceil(u / (cap - 1))) if u else 1


def build_calc(docs, split_goal):
    if split_goal:
        sys.exit("error: --split-goal is for Writer mode only")
    sheets, row_styles, auto = [], {}, []
    for n, doc in enumerate(docs):
        lines = doc.content()
        lines = [ln for ln in lines if ln.kind != "break"]
        ncols = max([len(ln.cells) for ln in lines if ln.kind == "row"] + [1])
        layout = calc_layout(lines, ncols)
        widths = calc_widths(layout, ncols)
        title_seen = False
        rows_xml = []
        for ln, placed in zip(lines, layout):
            pt = FONT_PT
            if ln.kind == "para" and not title_seen:
                pt, title_seen = TITLE_PT, True
            nlines = max([text_lines(t, sum(widths[i:i + s]), pt) for t, i, s in placed] + [1])
            height = round(nlines * pt * PT_MM * 1.05 + 2 * CELL_PAD + 0.6, 1)
            brk = ln.is_detail()
            rkey = (height, brk)
            if rkey not in row_styles:
                rname = f"ro{len(row_styles) + 1}"
                row_styles[rkey] = rname
                auto.append(
                    f'<style:style style:name="{rname}" style:family="table-row">'
                    f'<style:table-row-properties style:row-height="{height:.1f}mm" '
                    f'fo:break-before="{"page" if brk else "auto"}" '
                    'style:use-optimal-row-height="false"/></style:style>')
            cells = []
            col = 0
            style = "ceTitle" if pt == TITLE_PT else "ceBox"
            if not placed:
                cells.append(f'<table:table-cell table:number-columns-repeated="{ncols}"/>')
            for t, i, s in placed:
                attr = f' table:number-columns-spanned="{s}" table:number-rows-spanned="1"' if s > 1 else ""
                inner = odf_text(t)
                p = f"<text:p>{inner}</text:p>" if inner else ""
                value = ' office:value-type="string" calcext:value-type="string"' if inner else ""
                cells.append(f'<table:table-cell table:style-name="{style}"{attr}{value}>{p}</table:table-cell>')
                cells += ["<table:covered-table-cell/>"] * (s - 1)
                col = i + s
            if placed and col < ncols:
                cells.append(f'<table:table-cell table:style-name="{style}" '
                             f'table:number-columns-repeated="{ncols - col}"/>')
            rows_xml.append(f'<table:table-row table:style-name="{row_styles[rkey]}">'
                            + "".join(cells) + "</table:table-row>")
        sname = f"Sheet{n + 1}"
        cols = []
        for i, w in enumerate(widths):
            cname = f"co{n + 1}_{i + 1}"
            auto.append(f'<style:style style:name="{cname}" style:family="table-column">'
                        f'<style:table-column-properties fo:break-before="auto" '
                        f'style:column-width="{mm(w)}"/></style:style>')
            cols.append(f'<table:table-column table:style-name="{cname}" '
                        'table:default-cell-style-name="Default"/>')
        last = f"{col_name(ncols - 1)}{len(lines)}"
        sheets.append(
            f'<table:table table:name="{sname}" table:style-name="ta1" '
            f'table:print-ranges="{sname}.A1:{sname}.{last}">'
            + "".join(cols) + "".join(rows_xml) + "</table:table>")
    cell_common = ('<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top" '
                   f'fo:padding="{mm(CELL_PAD)}" style:shrink-to-fit="false"{{border}}/>'
                   '<style:paragraph-properties fo:text-align="start" fo:margin-left="0mm"/>')
    styles = (
        '<style:default-style style:family="table-cell">'
        f'<style:paragraph-properties style:text-autospace="{OPTIONS["autospace"]}"/>{text_props()}'
        '</style:default-style>'
        '<style:style style:name="Default" style:family="table-cell">'
        f'{cell_common.format(border="")}{text_props()}</style:style>')
    box = ' fo:border="0.5pt solid #000000"'
    auto_all = (
        '<style:page-layout style:name="PL"><style:page-layout-properties '
        f'fo:page-width="{mm(PAGE_W)}" fo:page-height="{mm(PAGE_H)}" style:print-orientation="portrait" '
        f'fo:margin-top="{mm(MARGIN)}" fo:margin-bottom="{mm(MARGIN)}" '
        f'fo:margin-left="{mm(MARGIN)}" fo:margin-right="{mm(MARGIN)}" '
        'style:print-page-order="ttb" style:first-page-number="continue" '
        'style:scale-to-X="1" style:scale-to-Y="0" style:print="objects charts drawings"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0mm" fo:margin-bottom="4mm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0mm" fo:margin-top="4mm"/></style:footer-style>'
        '</style:page-layout>'
        '<style:style style:name="ta1" style:family="table" style:master-page-name="Default">'
        '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>'
        f'<style:style style:name="ceBox" style:family="table-cell" style:parent-style-name="Default">'
        f'{cell_common.format(border=box)}</style:style>'
        f'<style:style style:name="ceTitle" style:family="table-cell" style:parent-style-name="Default">'
        f'{cell_common.format(border=box)}{text_props(TITLE_PT)}</style:style>'
        + "".join(auto))
    region = lambda where, inner: (f'<style:region-{where}><text:p>{inner}</text:p></style:region-{where}>')
    master = (
        '<style:master-page style:name="Default" style:page-layout-name="PL">'
        '<style:header>' + region("right", '<text:page-number>1</text:page-number>') + '</style:header>'
        '<style:footer>' + region("center", esc(FOOTER_TEXT)) + '</style:footer>'
        '</style:master-page>')
    body = "<office:spreadsheet>" + "\n".join(sheets) + "</office:spreadsheet>"
    return document("application/vnd.oasis.opendocument.spreadsheet", meta_title(docs), "",
                    styles, auto_all, master, body)


# --------------------------------------------------------------------------
# LibreOffice, PDF post-processing, report
# --------------------------------------------------------------------------

def profile_dir():
    return Path(os.environ.get("HOSHIN_LO_PROFILE", "/tmp/hoshin-lo-profile"))


def soffice(files, outdir):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("error: soffice not found (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
    prof = profile_dir()
    prof.parent.mkdir(parents=True, exist_ok=True)
    with open(str(prof) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cmd = [exe, f"-env:UserInstallation={prof.resolve().as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir)]
        cmd += [str(f) for f in files]
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                           stdin=subprocess.DEVNULL, timeout=600)
    for f in files:
        if not (Path(outdir) / (Path(f).stem + ".pdf")).is_file():
            sys.stderr.write(r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
            sys.exit(f"error: LibreOffice did not convert {f}")


def fix_metadata(data):
    """Overwrite /CreationDate, /ModDate, /ID and /DocChecksum in place (same length)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    stamp = time.strftime("D:%Y%m%d%H%M%S", time.gmtime(epoch)).encode()

    def date(m):
        old = m.group(2)
        if not re.fullmatch(rb"D:\d{14}.*", old):
            return m.group(0)  # unknown form: leave it
        # keep LibreOffice's zone suffix (with TZ=UTC it writes "Z'")
        return m.group(1) + b"(" + stamp + old[16:] + b")"

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*)\(([^)]*)\)", date, data)
    id_re = rb"/ID\s*\[\s*<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>\s*\]"
    sum_re = rb"/DocChecksum\s*/([0-9A-Fa-f]+)"
    digest = hashlib.md5(re.sub(sum_re, b"", re.sub(id_re, b"", data))).hexdigest().upper().encode()

    def same_length(m):
        out = m.group(0)
        for g in m.groups():
            out = out.replace(g, digest[:len(g)].ljust(len(g), b"0"), 1)
        return out

    data = re.sub(id_re, same_length, data)
    return re.sub(sum_re, same_length, data)


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.stdout.decode("utf-8", errors="replace")


def report(pdf, docs):
    info = run(["pdfinfo", str(pdf)])
    pages = re.search(r"^Pages:\s*(\d+)", info, re.M)
    text = run(["pdftotext", "-layout", str(pdf), "-"])
    flat = re.sub(r"\s+", "", text)
    print(f"{pdf}: {pages.group(1) if pages else '?'} pages, {pdf.stat().st_size} bytes")
    for line in run(["pdffonts", str(pdf)]).rstrip().splitlines():
        print("    " + line)
    ok = True
    for d in docs:
        for name in d.departments[:1]:
            found = name in text
            print(f"    department {name}: "
                  + ("found" if found else "found only with spaces removed" if name in flat
                     else "MISSING") + " in pdftotext -layout")
            ok &= name in flat
    return ok


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

class Job:
    def __init__(self, out, inputs, calc, split_goal):
        self.out = Path(out)
        self.inputs = [Path(p) for p in inputs]
        self.calc = calc
        self.split_goal = split_goal


def main():
    ap = argparse.ArgumentParser(description="Build PDFs of 部局運営方針 text editions with LibreOffice.")
    ap.add_argument("inputs", nargs="*", help="text editions (default: build the sample PDFs)")
    ap.add_argument("--out", default=None, help="output folder (default: samples/)")
    ap.add_argument("-o", dest="output", help="output PDF (one input, or --compile)")
    ap.add_argument("--only", help="build only this sample (name without .pdf)")
    ap.add_argument("--calc", action="store_true", help="Calc mode (spreadsheet export)")
    ap.add_argument("--compile", action="store_true", help="one PDF holding all inputs")
    ap.add_argument("--split-goal", type=int, metavar="N", help="Writer mode: break goal N's detail table")
    ap.add_argument("--no-heading-rows", action="store_true",
                    help="Writer mode: do not mark each table's first row as a repeating heading row")
    ap.add_argument("--no-autospace", action="store_true",
                    help="no extra space between Japanese and Latin text (LibreOffice and Word add it by default)")
    ap.add_argument("--font", help="font family for all text (default IPAexGothic)")
    ap.add_argument("--cell-padding", type=float, metavar="MM", help="left/right cell padding (default 1.9)")
    ap.add_argument("--span-summary", action="store_true",
                    help="Writer mode: goal numbers span their two summary rows, titles span the empty cells")
    ap.add_argument("--keep-odf", action="store_true", help="keep the .fodt/.fods next to the PDF")
    ap.add_argument("--no-check", action="store_true", help="skip the report")
    a = ap.parse_args()

    global FONT, CELL_PAD
    if a.font:
        FONT = a.font
    if a.cell_padding is not None:
        CELL_PAD = a.cell_padding
    OPTIONS["span_summary"] = a.span_summary
    OPTIONS["heading_rows"] = not a.no_heading_rows
    OPTIONS["autospace"] = "none" if a.no_autospace else "ideograph-alpha"
    if a.split_goal is not None and a.split_goal < 1:
        ap.error("--split-goal needs a goal number >= 1")
    if a.calc and a.split_goal:
        ap.error("--split-goal is for Writer mode only")
    jobs = []
    if not a.inputs:
        if a.output or a.compile or a.calc or a.split_goal or a.no_heading_rows or a.no_autospace:
            ap.error("-o, --compile, --calc, --split-goal, --no-heading-rows and "
                     "--no-autospace need input files (the samples are built one fixed way)")
        out = Path(a.out) if a.out else SAMPLES_DIR
        names = list(SAMPLES)
        if a.only:
            only = a.only[:-4] if a.only.endswith(".pdf") else a.only
            if only not in SAMPLES:
                ap.error(f"--only: no sample named {only}; known: {', '.join(SAMPLES)}")
            names = [only]
        for name in names:
            mode, inputs, split = SAMPLES[name]
            jobs.append(Job(out / f"{name}.pdf", [SAMPLES_DIR / p for p in inputs],
                            mode == "calc", split))
    else:
        if a.only:
            ap.error("--only selects a sample; do not combine it with input files")
        if a.compile:
            if not a.output:
                ap.error("--compile needs -o X.pdf")
            jobs.append(Job(a.output, a.inputs, a.calc, a.split_goal))
        elif a.output:
            if len(a.inputs) != 1:
                ap.error("-o takes one input; use --out DIR for several, or --compile")
            jobs.append(Job(a.output, a.inputs, a.calc, a.split_goal))
        else:
            out = Path(a.out) if a.out else Path(".")
            for p in a.inputs:
                jobs.append(Job(out / (Path(p).stem + ".pdf"), [p], a.calc, a.split_goal))
    outs = [j.out.resolve() for j in jobs]
    if len(set(outs)) != len(outs):
        ap.error("two inputs would write the same PDF")
    for j in jobs:
        for p in j.inputs:
            if not p.is_file():
                sys.exit(f"error: {p}: not found")

    with tempfile.TemporaryDirectory(prefix="hoshin-pdf-") as tmp:
        tmp = Path(tmp)
        sources, parsed = [], []
        for n, j in enumerate(jobs):
            docs = [Doc(p) for p in j.inputs]
            parsed.append(docs)
            xml = build_calc(docs, j.split_goal) if j.calc else build_writer(docs, j.split_goal)
            src = tmp / f"job{n:03d}.{'fods' if j.calc else 'fodt'}"
            src.write_text(xml, encoding="utf-8")
            sources.append(src)
        soffice(sources, tmp)
        ok = True
        for j, src, docs in zip(jobs, sources, parsed):
            data = fix_metadata((tmp / (src.stem + ".pdf")).read_bytes())
            j.out.parent.mkdir(parents=True, exist_ok=True)
            part = j.out.with_name(f".{j.out.name}.tmp.{os.getpid()}")
            try:
                with open(part, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(part, j.out)
            finally:
                if part.exists():
                    part.unlink()
            if a.keep_odf:
                shutil.copyfile(src, j.out.with_suffix(src.suffix))
            if not a.no_check:
                ok &= report(j.out, docs)
    if not ok:
        sys.exit("error: a department name is missing from a PDF's text")


if __name__ == "__main__":
    main()
