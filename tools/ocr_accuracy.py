#!/usr/bin/env python3
"""Field accuracy of OCR'd documents against their text editions.

usage: ocr_accuracy.py [--min F] OCR_JSON TEXT_JSON [OCR_JSON TEXT_JSON ...]

Every field the text edition's document has (every string, number and grade
under title, fiscal_year, department, basic_policy, goals and grade_scale;
source, provenance, unassigned text and diagnostics aside) is looked up at the
same place in the OCR'd document. Goals are matched by number, list items by
position. A field is

  exact  when equal after normalising for matching (NFKC, no white space), and
  close  when it is text of 10 or more characters whose characters agree at
         least 90 % (difflib's ratio) with the text edition's: readable, with
         a recognition slip or two.

Field accuracy = (exact + close) / fields. Character accuracy is over all the
text edition's characters (matching blocks of the two texts, field by field).
Prints one line per pair and a total; with --min F, exit 1 when the total
field accuracy is below F (0-1).
"""
import difflib
import json
import sys
import unicodedata

TOP = ("title", "fiscal_year", "department", "basic_policy", "goals", "grade_scale")
SKIP = {"provenance", "source", "unassigned", "diagnostics"}


def norm(v):
    if isinstance(v, str):
        return "".join(unicodedata.normalize("NFKC", v).split())
    return v


def leaves(node, path, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in SKIP:
                leaves(v, f"{path}.{k}", out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            key = v.get("number", i) if isinstance(v, dict) and path.endswith("goals") else i
            leaves(v, f"{path}[{key}]", out)
    elif node is not None:
        out[path] = node


def fields(doc):
    out = {}
    for k in TOP:
        leaves(doc.get(k), k, out)
    return out


def compare(ocr, text):
    want, got = fields(text), fields(ocr)
    exact = close = chars = chars_ok = 0
    wrong = []
    for path, v in want.items():
        g = got.get(path)
        a, b = norm(v), norm(g) if g is not None else None
        if isinstance(a, str):
            chars += len(a)
            if isinstance(b, str):
                sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
                chars_ok += sum(m.size for m in sm.get_matching_blocks())
        if a == b:
            exact += 1
            continue
        if isinstance(a, str) and isinstance(b, str) and len(a) >= 10 and difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9:
            close += 1
            continue
        wrong.append(path)
    return len(want), exact, close, chars, chars_ok, wrong


def load(path):
    d = json.load(open(path, encoding="utf-8"))
    return d if isinstance(d, list) else [d]


def main():
    args = sys.argv[1:]
    minimum = None
    if args[:1] == ["--min"]:
        minimum, args = float(args[1]), args[2:]
    if not args or len(args) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    total = [0, 0, 0, 0, 0]
    for ocr_path, text_path in zip(args[::2], args[1::2]):
        ocr_docs, text_docs = load(ocr_path), load(text_path)
        for n, t in enumerate(text_docs):
            o = ocr_docs[n] if n < len(ocr_docs) else {}
            f, e, c, ch, ok, wrong = compare(o, t)
            for i, v in enumerate((f, e, c, ch, ok)):
                total[i] += v
            print(f"{ocr_path}[{n}]: {e + c}/{f} fields ({e} exact, {c} close), characters {ok / max(ch, 1):.3f}"
                  + (f"; wrong: {', '.join(wrong[:8])}" + (" ..." if len(wrong) > 8 else "") if wrong else ""))
    f, e, c, ch, ok = total
    acc = (e + c) / max(f, 1)
    print(f"total: field accuracy {acc:.3f} ({e + c} of {f}: {e} exact, {c} close), character accuracy {ok / max(ch, 1):.3f}")
    return 1 if minimum is not None and acc < minimum else 0


if __name__ == "__main__":
    sys.exit(main())
