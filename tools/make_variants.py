#!/usr/bin/env python3
"""Generate encoding/normalisation test variants from the UTF-8 seed sample.

Run from the repository root:  python3 tools/make_variants.py

Writes (deterministically; rerunning rewrites identical bytes):
  samples/kashiwara_r3_seisakusuishin_cp932.txt
      the seed with full-width digits, '%' and '(n)', '重点目標 1' -> '重点目標１',
      'A:' -> 'A：' in the grade legend; CP932, CRLF line ends.
  tests/data/cp932_hashigo.txt
      a tiny header in CP932 + CRLF containing 髙 (U+9AD9), a character that
      exists only in CP932's IBM extensions (written as 0xFBFC, as Windows does).
"""

import re
import sys
from pathlib import Path

SEED = Path("samples/kashiwara_r3_seisakusuishin.txt")
CP932_VARIANT = Path("samples/kashiwara_r3_seisakusuishin_cp932.txt")
HASHIGO = Path("tests/data/cp932_hashigo.txt")

HASHIGO_TEXT = "令和3年度 テスト部の運営方針\n部(局)\tテスト部\t部(局)長\t髙橋 一郎\n"

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth_digits(s: str) -> str:
    return s.translate(FULLWIDTH_DIGITS)


def build_ibm_extension_map() -> dict:
    """Map chars that Python's cp932 encodes as NEC-selected IBM extensions
    (0xED40-0xEEFC) to their IBM extension codes (0xFA40-0xFC4B), which is
    what Windows' cp932 encoder emits."""
    ibm = {}
    for lead in range(0xFA, 0xFD):
        for trail in list(range(0x40, 0x7F)) + list(range(0x80, 0xFD)):
            raw = bytes([lead, trail])
            try:
                ch = raw.decode("cp932")
            except UnicodeDecodeError:
                continue
            ibm.setdefault(ch, raw)
    return ibm


IBM_EXTENSION = build_ibm_extension_map()


def encode_cp932(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        raw = ch.encode("cp932")  # strict: fail loudly on anything unmappable
        if len(raw) == 2 and raw[0] in (0xED, 0xEE) and ch in IBM_EXTENSION:
            raw = IBM_EXTENSION[ch]
        out += raw
    return bytes(out)


def to_crlf(text: str) -> str:
    assert "\r" not in text, "input must use LF line ends"
    return text.replace("\n", "\r\n")


def transform_seed(text: str) -> str:
    # Order matters: the patterns below match ASCII digits, so they run
    # before the blanket digit conversion.
    text = re.sub(r"重点目標 (\d+)", lambda m: "重点目標" + fullwidth_digits(m.group(1)), text)
    text = re.sub(r"\((\d+)\)", lambda m: "（" + fullwidth_digits(m.group(1)) + "）", text)
    text, n = re.subn(r"^(- )A:", r"\1A：", text, flags=re.MULTILINE)
    assert n == 1, "expected exactly one 'A:' line in the grade legend"
    text = text.replace("%", "％")
    return fullwidth_digits(text)


def write_checked(path: Path, text_crlf: str) -> None:
    data = encode_cp932(text_crlf)
    if data.decode("cp932") != text_crlf:
        sys.exit(f"error: {path}: cp932 round trip changed the text")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    print(f"{path}: {len(data)} bytes")


def main() -> None:
    if not SEED.is_file():
        sys.exit(f"error: {SEED} not found; run from the repository root")
    seed = SEED.read_bytes().decode("utf-8")
    variant = transform_seed(seed)
    assert not re.search(r"[0-9%]", variant), "ASCII digits or '%' left over"
    write_checked(CP932_VARIANT, to_crlf(variant))

    write_checked(HASHIGO, to_crlf(HASHIGO_TEXT))
    assert b"\xfb\xfc" in HASHIGO.read_bytes(), "髙 must be written as 0xFBFC"


if __name__ == "__main__":
    main()
