#!/usr/bin/env python3
"""Field-by-field comparison of hoshin documents, provenance aside.

usage: compare_docs.py [--cover N] PDF_JSON TEXT_JSON [TEXT_JSON...]
The PDF side may be one document or an array (a compiled PDF); it must hold
as many documents as text files are given, in order. Exit 1 on a difference.
--cover N: pages 1..N are a cover no text edition holds. Their text must be
kept in the first document's unassigned text, with an unassigned-text
warning; both are then left out of the comparison.
"""
import json
import re
import sys

IGNORED_DIAGNOSTICS = {"page-furniture-removed", "shared-glyphs-unified"}

# A space between two CJK characters is lost when a PDF line wraps right after
# it (it is invisible at a line end), so such spaces do not count.
CJK = "[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
CJK_SPACE = re.compile(f"(?<={CJK})[ \u3000]+(?={CJK})")


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("provenance", "source")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    if isinstance(node, str):
        return CJK_SPACE.sub("", node)
    return node


def diagnostics(doc):
    return sorted((d["severity"], d["code"], strip(d["message"])) for d in doc["diagnostics"] if d["code"] not in IGNORED_DIAGNOSTICS)


def diff(a, b, path, out):
    if type(a) is not type(b):
        out.append(f"{path}: {a!r} != {b!r}")
    elif isinstance(a, dict):
        for k in a.keys() | b.keys():
            diff(a.get(k), b.get(k), f"{path}.{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")


def set_cover_aside(doc, pages, problems):
    on_cover = [u for u in doc["unassigned"] if u["provenance"]["page"] <= pages]
    if not on_cover:
        problems.append(f"the cover (pages 1-{pages}) left no unassigned text: was it dropped?")
    doc["unassigned"] = [u for u in doc["unassigned"] if u["provenance"]["page"] > pages]
    before = len(doc["diagnostics"])
    doc["diagnostics"] = [d for d in doc["diagnostics"]
                          if not (d["code"] == "unassigned-text" and d["provenance"] and d["provenance"]["page"] <= pages)]
    if on_cover and len(doc["diagnostics"]) == before:
        problems.append("the cover's unassigned text has no unassigned-text warning")


def main():
    args = sys.argv[1:]
    cover = 0
    if args[:1] == ["--cover"]:
        cover, args = int(args[1]), args[2:]
    pdf = json.load(open(args[0], encoding="utf-8"))
    pdf_docs = pdf if isinstance(pdf, list) else [pdf]
    texts = [json.load(open(f, encoding="utf-8")) for f in args[1:]]
    problems = []
    if cover and pdf_docs:
        set_cover_aside(pdf_docs[0], cover, problems)
    if len(pdf_docs) != len(texts):
        problems.append(f"{len(pdf_docs)} documents in the PDF, {len(texts)} text editions")
    for n, (p, t) in enumerate(zip(pdf_docs, texts)):
        if p["source"]["format"] != "pdf":
            problems.append(f"doc {n}: source.format is {p['source']['format']}")
        pd, td = strip(p), strip(t)
        pd.pop("diagnostics"); td.pop("diagnostics")
        diff(pd, td, f"doc{n}", problems)
        if diagnostics(p) != diagnostics(t):
            problems.append(f"doc{n}.diagnostics: {diagnostics(p)} != {diagnostics(t)}")
        for kind in ("goals",):
            for g in p[kind]:
                for item in [g] + g["targets"] + g["initiatives"]:
                    prov = item["provenance"]
                    if prov["bbox"] is None or prov["page"] < 1:
                        problems.append(f"doc{n}: goal {g['number']}: no page/bbox provenance")
    for line in problems[:40]:
        print("  " + line)
    if len(problems) > 40:
        print(f"  ... {len(problems) - 40} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
