#!/usr/bin/env python3
"""Image-only PDFs of the project's own PDFs, the way a scanned archive looks.

usage: make_scans.py [--dpi N] [--seed S] [--quality Q] IN.pdf OUT.pdf

Each page is rasterised with pdftoppm (grey, 200 dpi by default), turned by a
small angle (a different one per page, within +-1.5 degrees, as a sheet lies
on a scanner), sprinkled with speckle (dust, toner), stored as a grey JPEG and
wrapped back into a PDF with img2pdf: no text layer, one image per page. The
angles and the speckle come from a seeded generator, and img2pdf writes no
dates, so the output is the same bytes for the same inputs and package
versions.

Needs poppler-utils (pdftoppm), python3-pil and img2pdf (tools/producer_deps.sh).
"""
import argparse
import io
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter


def scan_page(png: Path, rng: random.Random, quality: int, dpi: int) -> bytes:
    img = Image.open(png).convert("L")
    # A sheet a little askew: the angle is never zero, so deskewing is tested.
    angle = rng.choice([-1, 1]) * rng.uniform(0.3, 1.5)
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    # Scanner blur, then speckle: dark dots of 1-3 pixels, about 0.02 % of the page.
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    w, h = img.size
    px = img.load()
    for _ in range(w * h // 5000):
        x, y, r = rng.randrange(w - 3), rng.randrange(h - 3), rng.choice([1, 1, 1, 2, 3])
        shade = rng.randrange(0, 120)
        for dx in range(r):
            for dy in range(r):
                px[x + dx, y + dy] = shade
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quality", type=int, default=60)
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(a.dpi), "-gray", "-png", a.input, f"{tmp}/p"], check=True)
        pages = sorted(Path(tmp).glob("p-*.png"))
        if not pages:
            print(f"make_scans.py: {a.input}: no pages", file=sys.stderr)
            return 1
        jpgs = []
        for i, png in enumerate(pages):
            jpg = Path(tmp) / f"s-{i:04d}.jpg"
            jpg.write_bytes(scan_page(png, rng, a.quality, a.dpi))
            jpgs.append(str(jpg))
        subprocess.run(["img2pdf", "--nodate", "--engine", "internal", "-o", a.output, *jpgs], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
