#!/usr/bin/python3
"""Build PDFs of 部局運営方針 documents as a report program writes them: ReportLab.

Many municipal systems (budget, evaluation and reporting tools) write their PDFs
themselves with a PDF library rather than through an office suite or a browser. This
tool is such a program: Python's ReportLab (Debian: python3-reportlab) lays out each
text edition (the format and its parser are tools/make_pdfs.py's) with its own page
templates and tables. What differs from the other producers of tests/producers/:

  - fonts: a TrueType font embedded by ReportLab itself (default IPAexMincho), as
    several simple (non-CID) TrueType subsets of up to 256 glyphs with their own
    encodings and ToUnicode maps;
  - rules: cell borders are stroked lines (ReportLab's GRID), one segment per cell
    side, 0.6 pt wide, drawn after the text;
  - text: every line is placed by the program (no text engine): cells and paragraphs
    are broken into lines here, by measured glyph widths, never inside a run of Latin
    letters or digits, and without starting a line with 、。」) and the like;
  - tables split across pages by ReportLab, repeating their heading row;
  - page numbers "- N -" at the foot of every page; a cover with a contents list (page
    numbers from a first pass) for compiled booklets.

Usage (Debian's /usr/bin/python3; paths relative to the current directory):
  make_reportlab_pdfs.py INPUT.txt... [--out DIR | -o X.pdf] [options]
  make_reportlab_pdfs.py --compile A.txt B.txt... -o X.pdf [--cover] [options]
  make_reportlab_pdfs.py --corpus          rebuild tests/producers/reportlab and its cases.tsv
Options:
  --one-table-details   each goal's detail page is one table (its 部(局)名 row the heading,
                        repeated when the table breaks; see make_html_pdfs.py)
  --split-goal N        no page break before goal N's detail page
  --font FILE.ttf       the font (default IPAexMincho); --font-pt (default 9.5)
  --pad MM              cell padding left/right (default 2.0; top/bottom is half)

The table model (rows, spans, column widths) is make_html_pdfs.py's: a goal's number
spans its two summary rows and its title the empty fields after it; long texts side by
side in a row wrap to three lines and more.

Deterministic: ReportLab's invariant mode, then make_pdfs.fix_metadata (SOURCE_DATE_EPOCH
chooses the date). Each PDF is written to a temporary name and renamed into place.
"""

import argparse
import io
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_pdfs as mp  # noqa: E402
import make_html_pdfs as hp  # noqa: E402

from reportlab import rl_config  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate,  # noqa: E402
                                Spacer, Table, TableStyle)

rl_config.invariant = 1

DEFAULT_FONT = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
MARGIN_T, MARGIN_B, MARGIN_LR = 20.0, 22.0, 18.0   # mm
NO_START = set("、。，．,.)）」』】〕〉》・ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ：；:;!?！？%％")
LATIN = re.compile(r"[A-Za-z0-9.,%/+\-]+|.", re.S)


class Geometry:
    """What make_html_pdfs.column_widths needs (mm), from our page and font."""

    def __init__(self, font_pt, pad):
        self.font_pt = font_pt
        self.pad_h = pad
        self.pad_v = pad / 2
        self.content_w = 210.0 - 2 * MARGIN_LR

    @property
    def unit_mm(self):
        return self.font_pt * hp.PT_MM / 2


def wrap(text, font, size, width):
    """Lines of text no wider than width (pt); every character kept, in order."""
    if not text:
        return [""]
    tokens = LATIN.findall(text)
    lines, cur, cur_w = [], "", 0.0
    for t in tokens:
        w = pdfmetrics.stringWidth(t, font, size)
        if cur and cur_w + w > width and t[0] not in NO_START:
            if len(t) > 1 and w > width:        # a Latin run longer than the line: split it
                for ch in t:
                    cw = pdfmetrics.stringWidth(ch, font, size)
                    if cur and cur_w + cw > width:
                        lines.append(cur)
                        cur, cur_w = "", 0.0
                    cur += ch
                    cur_w += cw
                continue
            lines.append(cur)
            cur, cur_w = "", 0.0
        cur += t
        cur_w += w
    lines.append(cur)
    return lines


class Lines(Flowable):
    """A paragraph: lines broken here, drawn with drawString (left aligned)."""

    def __init__(self, text, font, size, leading, center=False):
        super().__init__()
        self.text, self.font, self.size, self.leading, self.center = text, font, size, leading, center
        self.lines = [text]

    def wrap(self, avail_w, avail_h):
        self.avail_w = avail_w
        self.lines = wrap(self.text, self.font, self.size, avail_w)
        return avail_w, self.leading * len(self.lines)

    def split(self, avail_w, avail_h):
        n = int(avail_h // self.leading)
        if n <= 0 or n >= len(self.lines):
            return []
        head = Lines("", self.font, self.size, self.leading)
        tail = Lines("", self.font, self.size, self.leading)
        head.text, tail.text = "".join(self.lines[:n]), "".join(self.lines[n:])
        return [head, tail]

    def draw(self):
        c = self.canv
        c.setFont(self.font, self.size)
        y = self.leading * len(self.lines) - self.size
        for ln in self.lines:
            if self.center:
                c.drawCentredString(self.avail_w / 2, y, ln)
            else:
                c.drawString(0, y, ln)
            y -= self.leading


class Builder:
    def __init__(self, font_path, font_pt, pad):
        self.font = Path(font_path).stem
        if self.font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(self.font, font_path))
        self.pt = font_pt
        self.leading = round(font_pt * 1.45, 2)
        self.geo = Geometry(font_pt, pad)

    # -- tables -------------------------------------------------------------

    def table(self, rows, ncols, heading):
        widths = [w * mm for w in hp.column_widths(rows, ncols, self.geo)]
        pad = self.geo.pad_h * mm
        data = [[""] * ncols for _ in rows]
        style = [("FONT", (0, 0), (-1, -1), self.font, self.pt, self.leading),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                 ("TOPPADDING", (0, 0), (-1, -1), self.geo.pad_v * mm),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), self.geo.pad_v * mm + self.leading - self.pt),
                 ("GRID", (0, 0), (-1, -1), 0.6, (0, 0, 0))]
        heights = []
        for r, row in enumerate(rows):
            for c in row.cells:
                width = sum(widths[c.col:c.col + c.colspan]) - 2 * pad - 0.5
                data[r][c.col] = "\n".join(wrap(c.text, self.font, self.pt, width))
                if c.colspan > 1 or c.rowspan > 1:
                    style.append(("SPAN", (c.col, r), (c.col + c.colspan - 1, r + c.rowspan - 1)))
            heights.append(None if row.kind != "empty" else self.leading + 2 * self.geo.pad_v * mm)
        return Table(data, colWidths=widths, rowHeights=heights, style=TableStyle(style),
                     repeatRows=1 if heading and len(rows) > 1 else 0, hAlign="LEFT", splitByRow=1)

    # -- one document ---------------------------------------------------------

    def story(self, doc, opts, first):
        lines = doc.content()
        while lines and lines[0].kind == "blank":
            lines = lines[1:]
        while lines and lines[-1].kind == "blank":
            lines = lines[:-1]
        out = [] if first else [PageBreak()]
        out.append(DocStart(doc))
        title_done = False
        ordinal = 0
        i = 0
        while i < len(lines):
            ln = lines[i]
            if ln.kind == "break":
                out.append(PageBreak())
                i += 1
                continue
            if ln.is_detail():
                ordinal += 1
                e = i + 1
                while e < len(lines) and not lines[e].is_detail() and lines[e].kind != "break":
                    e += 1
                if opts.split_goal is None or hp.goal_number(lines, i, e, ordinal) != opts.split_goal:
                    while out and isinstance(out[-1], Spacer):
                        out.pop()
                    out.append(PageBreak())
                if opts.one_table_details:
                    span = lines[i:e]
                    while len(span) > 1 and span[-1].kind == "blank":
                        span = span[:-1]
                    out.append(self.table(*hp.detail_table(span)))
                    out += [Spacer(1, self.leading) for _ in lines[i + len(span):e]]
                    i = e
                    continue
            if ln.kind == "row":
                j = i + 1
                while j < len(lines) and lines[j].kind == "row" and not lines[j].is_detail():
                    j += 1
                out.append(self.table(*hp.plain_table(lines[i:j])))
                i = j
                continue
            if ln.kind == "para":
                size = self.pt if title_done else round(self.pt * 1.4, 2)
                out.append(Lines(ln.cells[0], self.font, size, round(size * 1.45, 2)))
                if not title_done:
                    out.append(Spacer(1, 2 * mm))
                title_done = True
            else:
                out.append(Spacer(1, self.leading))
            i += 1
        return out

    def cover(self, docs, pages):
        m = hp.YEAR_RE.search(docs[0].title)
        year = (m.group(1) + " ") if m else ""
        out = [Spacer(1, 60 * mm), Lines(f"{year}部局運営方針", self.font, 22, 34, center=True),
               Spacer(1, 8 * mm), Lines("柏原市", self.font, 16, 26, center=True), Spacer(1, 30 * mm)]
        rows = [["目次", ""]]
        for k, d in enumerate(docs):
            rows.append([d.departments[0] if d.departments else str(k + 1), str(pages[k]) if pages else ""])
        out.append(Table(rows, colWidths=[60 * mm, 20 * mm],
                         style=TableStyle([("FONT", (0, 0), (-1, -1), self.font, self.pt + 1, self.leading + 2),
                                           ("ALIGN", (1, 0), (1, -1), "RIGHT")])))
        return out

    # -- a PDF -----------------------------------------------------------------

    def render(self, docs, opts, pages=None):
        buf = io.BytesIO()
        starts = []
        font, pt = self.font, self.pt

        def footer(canvas, _doc):
            canvas.saveState()
            canvas.setFont(font, pt - 0.5)
            canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {canvas.getPageNumber()} -")
            canvas.restoreState()

        title = docs[0].title if len(docs) == 1 else "部局運営方針"
        t = BaseDocTemplate(buf, pagesize=A4, title=title, author="", creator="make_reportlab_pdfs.py",
                            leftMargin=MARGIN_LR * mm, rightMargin=MARGIN_LR * mm,
                            topMargin=MARGIN_T * mm, bottomMargin=MARGIN_B * mm, invariant=1)
        frame = Frame(t.leftMargin, t.bottomMargin, t.width, t.height, 0, 0, 0, 0, id="body")
        t.addPageTemplates([PageTemplate("page", [frame], onPage=footer)])
        t.afterFlowable = lambda f: starts.append(t.page) if isinstance(f, DocStart) else None
        story = []
        if opts.cover:
            story += self.cover(docs, pages)
        for n, d in enumerate(docs):
            story += self.story(d, opts, n == 0 and not opts.cover)
        t.build(story)
        return buf.getvalue(), starts

    def build(self, inputs, out, opts):
        docs = [mp.Doc(p) for p in inputs]
        data, starts = self.render(docs, opts)
        if opts.cover:
            data, again = self.render(docs, opts, starts)
            if again != starts:
                print(f"warning: {out}: contents page numbers moved in the second pass", file=sys.stderr)
        data = mp.fix_metadata(data)
        out.parent.mkdir(parents=True, exist_ok=True)
        part = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        part.write_bytes(data)
        os.replace(part, out)
        return docs


class DocStart(Flowable):
    """Zero-size marker: where a document starts (for the cover's contents)."""

    def __init__(self, doc):
        super().__init__()
        self.doc = doc

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        pass


END = "kashiwara_r3_seisakusuishin_end.txt"
CORPUS = [
    ("seisakusuishin.pdf", ["kashiwara_r3_seisakusuishin.txt"], {}),
    ("seisakusuishin_end.pdf", [END], {"one_table_details": True, "split_goal": 2}),
    ("r4_end.pdf", ["kashiwara_r4_seisakusuishin_end.txt"], {"font": "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf", "pad": 1.2}),
    ("compiled.pdf", [END, "kashiwara_r3_somu.txt"], {"compile": True, "cover": True, "one_table_details": True}),
]


def options(a, **extra):
    base = dict(compile=False, cover=False, one_table_details=False, split_goal=None,
                font=a.font, font_pt=a.font_pt, pad=a.pad)
    base.update(extra)
    return argparse.Namespace(**base)


def main():
    ap = argparse.ArgumentParser(description="Write 部局運営方針 text editions as PDF with ReportLab.")
    ap.add_argument("inputs", nargs="*", help="text editions")
    ap.add_argument("--corpus", action="store_true", help="rebuild tests/producers/reportlab and its cases.tsv")
    ap.add_argument("--out", help="output folder, one PDF per input (default: .)")
    ap.add_argument("-o", dest="output", help="output PDF (one input, or --compile)")
    ap.add_argument("--compile", action="store_true", help="one PDF holding all inputs")
    ap.add_argument("--cover", action="store_true", help="with --compile: a cover page first")
    ap.add_argument("--one-table-details", action="store_true", help="each detail page is one table")
    ap.add_argument("--split-goal", type=int, metavar="N", help="no page break before goal N's detail page")
    ap.add_argument("--font", default=DEFAULT_FONT, help="TrueType font file")
    ap.add_argument("--font-pt", type=float, default=9.5)
    ap.add_argument("--pad", type=float, default=2.0, help="cell padding left/right, mm")
    ap.add_argument("--no-check", action="store_true", help="no pdfinfo/pdffonts/pdftotext report")
    a = ap.parse_args()
    ok = True
    if a.corpus:
        if a.inputs or a.output or a.out:
            ap.error("--corpus takes no inputs and no --out/-o")
        folder = mp.ROOT / "tests" / "producers" / "reportlab"
        for name, inputs, extra in CORPUS:
            o = options(a, **extra)
            docs = Builder(o.font, o.font_pt, o.pad).build([mp.SAMPLES_DIR / t for t in inputs], folder / name, o)
            ok &= a.no_check or mp.report(folder / name, docs)
        cases = "".join(f"{name}\t{' '.join(inputs)}" + ("\t1" if extra.get("cover") else "") + "\n"
                        for name, inputs, extra in CORPUS)
        part = folder / f".cases.tsv.{os.getpid()}.tmp"
        part.write_text(cases, encoding="utf-8")
        os.replace(part, folder / "cases.tsv")
        sys.exit(0 if ok else 1)
    if not a.inputs:
        ap.error("no inputs")
    if a.cover and not a.compile:
        ap.error("--cover needs --compile")
    for p in a.inputs:
        if not Path(p).is_file():
            sys.exit(f"error: {p}: no such file")
    o = options(a, compile=a.compile, cover=a.cover, one_table_details=a.one_table_details,
                split_goal=a.split_goal)
    builder = Builder(a.font, a.font_pt, a.pad)
    if a.compile or a.output:
        if not a.output:
            ap.error("--compile needs -o X.pdf")
        if not a.compile and len(a.inputs) != 1:
            ap.error("-o takes one input (or --compile); use --out DIR for several")
        jobs = [(a.inputs, Path(a.output))]
    else:
        jobs = [([p], Path(a.out or ".") / (Path(p).stem + ".pdf")) for p in a.inputs]
    for inputs, out in jobs:
        docs = builder.build(inputs, out, o)
        if a.no_check:
            print(out)
        else:
            ok &= mp.report(out, docs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
