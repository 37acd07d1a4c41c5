#!/usr/bin/env python3
"""Writes samples/kashiwara_r4_seisakusuishin_end.txt, the following year's
edition of samples/kashiwara_r3_seisakusuishin_end.txt, for the diff tests:
goal 1 kept and re-graded (B -> A), goal 2 reworded (フェイスブック -> LINE),
goal 3 kept as it was, goal 4 dropped, goals 5 and 6 renumbered 4 and 5,
and a new goal 6 added. Deterministic; standard library only.
"""
import re

SRC = "samples/kashiwara_r3_seisakusuishin_end.txt"
DST = "samples/kashiwara_r4_seisakusuishin_end.txt"

text = open(SRC, encoding="utf-8").read().replace("令和3年度", "令和4年度")
head, rest = text.split("【重点目標】", 1)
summary, rest = rest.split("【達成度について】", 1)
legend, details = rest.split("\n部(局)名\t", 1)
pages = ("部(局)名\t" + details).split("\n部(局)名\t")
pages = [p if p.startswith("部(局)名\t") else "部(局)名\t" + p for p in pages]
rows = re.findall(r"(\d+\t目標\t[^\n]*\n\t[^\n]*\n?)", summary)
assert len(rows) == 6 and len(pages) == 6, (len(rows), len(pages))

def renumber(row, page, n):
    row = re.sub(r"^\d+", str(n), row)
    page = re.sub(r"重点目標 \d+", f"重点目標 {n}", page)
    return row, page

# goal 1: re-graded B -> A everywhere it is graded
rows[0] = rows[0].replace("\tB", "\tA")
pages[0] = pages[0].replace("\tB\n", "\tA\n").replace("\nB\n", "\nA\n").replace("概ね達成と評価します", "目標を達成したと評価します")
# goal 2: reworded
pages[1] = pages[1].replace("フェイスブックなどのSNS", "LINEなどのSNS")
# goal 4 dropped; 5 and 6 renumbered
kept = [(rows[0], pages[0]), (rows[1], pages[1]), (rows[2], pages[2])]
kept.append(renumber(rows[4], pages[4], 4))
kept.append(renumber(rows[5], pages[5], 5))
# a new goal 6
new_row = "6\t目標\t(5)\tみんなでつくる暮らし続けられるまち\t分野\t行財政運営\t令和4年度 達成状況\n\tデジタル技術を活用した行政手続の推進\t\t\t\t\tB\n"
new_page = """部(局)名\t政策推進部
-------\t-------

重点目標 6\tデジタル技術を活用した行政手続の推進
--------\t-------------------

今年度の達成目標
行政手続のオンライン化を進め、市民が窓口に来なくても手続ができる環境を整えます。

達成状況\t達成度
子育て・介護分野の30手続をオンライン化しましたが、電子申請の利用は一部にとどまりました。\tB

具体的取組\t
国のマイナポータルを活用し、オンラインで申請できる手続を拡大します。\t
所管室・課\t企画調整課

具体的な取組実績
子育て・介護分野の30手続について、マイナポータルからの電子申請を開始しました。

総合評価・総括
手続のオンライン化は計画どおり進みましたが、利用の周知が不十分であったため、概ね達成と評価します。

全体の達成度
B

次年度以降に向けて検討すべきこと
オンライン申請の利用状況を分析し、広報かしわらやSNSを通じて周知を強化します。
"""
kept.append((new_row, new_page))
out = head + "【重点目標】\n\n" + "".join(r for r, _ in kept) + "\n【達成度について】" + legend.rstrip("\n") + "\n\n"
out += "\n".join(p.rstrip("\n") + "\n" for _, p in kept)
open(DST, "w", encoding="utf-8", newline="\n").write(out)
print("wrote", DST)
