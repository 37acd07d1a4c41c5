#!/usr/bin/env python3
"""Generate a synthetic benchmark corpus of 部局運営方針 text documents.

Usage:  python3 tools/gen_corpus.py OUTDIR [-n 1000] [--seed 1]

Every document is a variant of samples/kashiwara_r3_seisakusuishin.txt
(beginning-of-year edition, every evaluation cell empty) or of
samples/kashiwara_r3_seisakusuishin_end.txt (end-of-year edition, filled).
What varies:
  - department (政策推進部, 総務部, 市民部, 健康福祉部, 都市整備部, ...),
    head and officer names (some with 髙 / 﨑), 0-2 理事 officers;
  - fiscal year: 平成30年度, 平成31年度, 令和元年度 ... 令和5年度;
  - 3-9 goals, numbered 1..n in the 【重点目標】 table and on the detail pages;
  - per goal, one of the sample layouts: stacked with one initiative
    (goal 1 style, or goal 3/4 style with runs of three blank lines), stacked
    with several initiatives separated by rules (goal 2 style), or side by
    side with TAB-separated cells (goals 5/6 style, 所管室・課 written with a
    TAB or with a space as on goal 6);
  - targets, initiatives, statuses, results, evaluations and next steps
    recombined from the samples' sentences;
  - edition: empty, or filled with grades A-E (the 【重点目標】 grade equals
    the goal's 全体の達成度); filled stacked goals sometimes wrap the results
    paragraph mid-sentence across two lines, as goal 3 of the end sample;
  - encoding: ~10% CP932 (Shift_JIS as Windows writes it: 髙 as 0xFBFC) with
    CRLF, ~5% UTF-8 with a byte order mark, the rest UTF-8 with LF.
Structural lines (labels, 部(局)名 rows, '-------<TAB>-------' rules,
【...】 markers, the grade legend) are written exactly as in the samples. Like
the samples, a file has no final newline.

Deterministic: document i depends only on (seed, i), so -n 100 gives the
first 100 files of -n 1000. Files are OUTDIR/doc_00001.txt ...; other
doc_NNNNN.txt files in OUTDIR (from an earlier, larger run) are removed.
OUTDIR/.gen_corpus records n, seed and this script's SHA-256 (written last, so
its presence means the corpus is complete). Standard library only.
"""

import argparse
import hashlib
import os
import random
import re
import sys
from pathlib import Path

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

# department -> (basic-policy opening sentence, divisions)
DEPARTMENTS = {
    "政策推進部": (
        "政策推進部では、市の政策をまとめ、実行するための施策についての企画・調整をはじめ、市民からの情報を受け止め、"
        "市民への情報発信を行うなど、市民との情報交流、市を動かすための職員に関する人事管理等を行っています。",
        ["企画調整課", "秘書広報課", "人事課", "危機管理課"],
    ),
    "総務部": (
        "総務部では、市の財政運営や市税の賦課徴収、契約・検査事務をはじめ、庁舎の管理や情報システムの運用など、"
        "市政運営の基盤となる業務を行っています。",
        ["総務課", "財政課", "税務課", "契約検査課", "情報政策課"],
    ),
    "市民部": (
        "市民部では、戸籍・住民基本台帳などの窓口業務をはじめ、国民健康保険や国民年金、人権施策の推進など、"
        "市民生活に身近な業務を行っています。",
        ["市民課", "保険年金課", "人権推進課", "市民協働課"],
    ),
    "健康福祉部": (
        "健康福祉部では、高齢者や障害のある人への支援をはじめ、地域福祉の推進、市民の健康づくりや感染症対策など、"
        "誰もが安心して暮らせるための業務を行っています。",
        ["福祉総務課", "高齢介護課", "障害福祉課", "健康福祉課", "生活福祉課"],
    ),
    "都市整備部": (
        "都市整備部では、都市計画の策定をはじめ、道路・公園・河川の整備や維持管理、市営住宅の管理など、"
        "快適な都市基盤づくりに関する業務を行っています。",
        ["都市計画課", "道路公園課", "建築住宅課", "公共交通室"],
    ),
    "上下水道部": (
        "上下水道部では、安全で安定した水道水の供給と下水道の整備・維持管理を通じて、"
        "市民生活と都市活動を支えるライフラインの運営を行っています。",
        ["経営総務課", "上水道課", "下水道課", "浄水場"],
    ),
    "教育部": (
        "教育部では、学校教育の充実をはじめ、生涯学習や文化・スポーツの振興、青少年の健全育成など、"
        "人づくりに関する業務を行っています。",
        ["教育総務課", "学校教育課", "生涯学習課", "文化財課"],
    ),
    "産業振興部": (
        "産業振興部では、商工業や農業の振興をはじめ、観光の推進や就労支援など、地域経済の活性化に関する業務を行っています。",
        ["産業振興課", "農林整備課", "観光交流室"],
    ),
    "環境部": (
        "環境部では、ごみの収集・処理やリサイクルの推進をはじめ、公害の防止や地球温暖化対策など、"
        "良好な生活環境の保全に関する業務を行っています。",
        ["環境保全課", "資源循環課"],
    ),
    "こども未来部": (
        "こども未来部では、保育所や認定こども園の運営をはじめ、子育て家庭への支援や児童虐待の防止など、"
        "子どもと子育てに関する業務を行っています。",
        ["こども政策課", "保育課", "子育て支援課"],
    ),
}

# Sentences of the samples' basic policy (paragraphs 2 and 3).
POLICY_SENTENCES = [
    "全国的に少子高齢化による人口減少や地方経済の衰退が進む中で今後にもぎわいや活力ある市としてあり続けるために、"
    "困難を極める財政面の健全化や多様化する市民ニーズに応えられる施策に取組み、市民と協働した行政運営に努めます。",
    "また、広報かしわら、市ウェブサイトをはじめとし、各種SNSなど多様な広報媒体やメディアを活用のうえ、"
    "市民生活に必要な情報を的確にお知らせするとともに、人口増加を目指し、まちの魅力資源を内外に広く発信します。",
    "危機管理につきましては、防災対策の基本方針を示す総合計画である「柏原市地域防災計画」の改訂に取組むとともに、"
    "災害に備えた防災体制の整備や防災行動力の向上及び指定避難所の機能強化に努めてまいります。",
    "また、地域防災の要である消防団の充実強化として、山間部でも機動力を生かした消火活動を行なえる"
    "可搬式消防ポンプ積載車の更新と消防団員のさらなる確保に向けた取組みを行います。",
]

# 総合計画の目標: number -> title (1 and 5 are the samples').
PLAN_GOALS = {
    1: "安全で安心して健やかに暮らせるまち",
    2: "子どもがいきいきと育ち学べるまち",
    3: "活力とにぎわいのあるまち",
    4: "自然と調和した快適に暮らせるまち",
    5: "みんなでつくる暮らし続けられるまち",
}

# goal title -> (plan goal number, field); the first six are the samples'.
GOAL_TITLES = [
    ("民間企業や大学とのさらなる連携", 5, "行財政運営"),
    ("多様な広報媒体による市政情報、まちの魅力資源発信の充実強化", 5, "行財政運営"),
    ("働き方改革に関する取組の推進", 5, "行財政運営"),
    ("地域防災計画の改訂", 1, "防災"),
    ("消防団を中核とした地域防災力の充実強化", 1, "防災"),
    ("指定避難所の機能強化", 1, "防災"),
    ("行政のデジタル化の推進", 5, "行財政運営"),
    ("公共施設の適正な管理と長寿命化", 5, "行財政運営"),
    ("市税等の収納率の向上", 5, "行財政運営"),
    ("地域福祉の推進と相談支援体制の充実", 1, "地域福祉"),
    ("子育て支援の充実", 2, "子育て"),
    ("確かな学力の育成と学校教育の充実", 2, "学校教育"),
    ("道路・橋りょうの計画的な維持管理", 4, "道路"),
    ("水道事業の経営基盤の強化", 4, "上下水道"),
    ("ごみの減量化とリサイクルの推進", 4, "環境"),
    ("地域経済の活性化と観光の振興", 3, "産業"),
    ("人権意識の高揚", 5, "人権"),
]

TARGETS = [
    "民間企業や大学との協働により、市の課題解決を目指します。",
    "政策や施策の目的・内容、市民の求める情報などをより速く、確実に届ける発信力の高い広報を行うことで、"
    "市政に対する信頼を獲得し、また、柏原市の魅力の向上に貢献します。",
    "職員のワーク・ライフ・バランスの向上に繋がるよう、時間外勤務命令の抑制や有給休暇取得の更なる促進を図ります。",
    "地域防災計画の見直しを行うことにより、防災対策の総合的な推進を図り、「災害に強い安全なまち」を目指します。",
    "市民の安全確保を図るため、消防団の災害対応力を強化します。",
    "消防団と地域が連携することにより、地域防災力の向上を図ります。",
    "避難所が停電した場合においても、運営を継続していきます。",
    "コロナ禍においても避難所の開設・運営が円滑にできるよう、準備をすすめます。",
]

INITIATIVES = [
    "大学生による事業の企画・立案を促すとともに、大学生の事業参画を推進します。 また民間企業との協働事業を数多く実施します。",
    "広報誌、ウェブサイトを中心に、フェイスブックなどのSNSも活用して、より早く、より確実な情報発信に努めます。",
    "観光誘客、柏原市の知名度向上につながるよう関係部局と連携し、新たな魅力を発掘し、積極的な広報活動を実施します。",
    "時間外勤務の累積時間や有給休暇の取得状況が容易に把握できる出退勤管理システムの構築を行います。",
    "関連する法律や上位計画および最新の各種データを反映させた計画に改訂を行います。",
    "可搬式消防ポンプ積載車及び消防用ホースの更新を行い、災害即応体制を維持していきます。"
    "また、団員確保の強化のため、報酬の見直しを行います。",
    "地域自主防災訓練に消防団が参加し、地域住民に災害対応技術の指導・啓発を行います。",
    "指定避難所に発電機及び投光器を配備します。",
    "指定避難所に段ボールベッドやルームテント等の感染症対策備品を配備します。",
]

# 達成状況 sentences from the end sample, by tone.
STATUS_GOOD = [
    "広報かしわらを毎月発行するとともに、ウェブサイトやSNSを活用して迅速な情報発信を行いました。"
    "LINE公式アカウントの登録者数は前年度末から約1,200人増加し、発信力の強化につながりました。",
    "災害対策基本法の改正や大阪府地域防災計画の修正内容を反映し、柏原市地域防災計画の改訂を完了しました。",
    "可搬式消防ポンプ積載車及び消防用ホースの更新を予定どおり行い、消防団の災害即応体制を維持しました。",
    "全ての指定避難所に発電機及び投光器を配備し、停電時にも避難所運営を継続できる体制を整えました。",
    "段ボールベッドやルームテント等の感染症対策備品を配備し、避難所開設訓練を通じて運営手順を確認しました。",
]
STATUS_MIXED = [
    "大学生の事業参画や民間企業との協働事業を実施し、市の課題解決に向けた取組を進めましたが、"
    "新型コロナウイルス感染症の影響により一部の事業は規模を縮小して実施しました。",
    "出退勤管理システムを導入し、勤務状況の把握は容易になりましたが、新型コロナウイルス感染症への対応業務の増加により、"
    "時間外勤務の縮減は目標に届きませんでした。",
    "新型コロナウイルス感染症の影響により地域の自主防災訓練の多くが中止となり、消防団の参加は一部の地区にとどまりました。",
]
STATUS_NONE = [
    "関係機関との協議を優先したため、年度内の事業の実施を見送りました。",
]

RESULTS = [
    "包括連携協定を締結している市内の大学と連携し、学生が市の課題を調査・分析して施策を提案する政策提案型の事業を実施したほか、"
    "民間企業との協働により、健康づくりや子育て支援、高齢者の見守り等の分野で計12件の協働事業を実施しました。",
    "広報かしわらでは新型コロナウイルスワクチン接種に関する特集を組むなど、市民の関心の高い情報を分かりやすく掲載しました。"
    "また、ウェブサイトのトップページに新着情報を集約するとともに、フェイスブックやLINEでは接種予約の開始等の情報を即日発信しました。",
    "観光部局と連携し、ぶどう狩りやワイナリーなど本市の魅力資源を紹介する動画を作成してSNSで発信したほか、"
    "テレビや新聞などのメディアへ積極的に情報提供を行い、計35件が取り上げられました。",
    "{Y}10月に出退勤管理システムを導入し、所属長が職員の時間外勤務の累積時間や有給休暇の取得状況を随時確認できる環境を整備するとともに、"
    "月45時間を超える時間外勤務が見込まれる職員がいる所属に対して業務分担の見直しを依頼しました。",
    "避難勧告と避難指示の一本化などの災害対策基本法の改正内容や、最新の被害想定、ハザードマップの浸水想定区域等を反映した改訂案を作成し、"
    "パブリックコメントを実施したうえで、柏原市防災会議の審議を経て計画を改訂しました。",
    "可搬式消防ポンプ積載車2台及び消防用ホース40本を更新しました。"
    "また、団員の処遇改善を図るため、年額報酬及び出動報酬の見直しを行い、関係条例を改正しました。",
    "感染症対策を講じたうえで実施された3地区の自主防災訓練に消防団が参加し、初期消火や応急手当の指導を行いました。",
    "全ての指定避難所に発電機及び投光器を配備するとともに、避難所を担当する職員を対象に機器の取扱い研修を実施しました。",
    "段ボールベッド、ルームテント、パーティション、非接触型体温計等を指定避難所に配備するとともに、"
    "感染症対策を踏まえた避難所運営マニュアルを改訂しました。",
]

# 総合評価・総括: a reason clause (from the end sample) + the grade's verdict.
REASONS_GOOD = [
    "各広報媒体の特性を生かした迅速かつ確実な情報発信を行うとともに、メディアへの積極的な情報提供により本市の魅力を広く発信することができたため、",
    "関係法令や上位計画の改正内容を反映した計画の改訂を予定どおり完了し、防災対策の総合的な推進に向けた基盤を整えることができたため、",
    "停電時の電源確保と感染症対策備品の配備をいずれも計画どおり完了し、コロナ禍においても避難所を円滑に開設・運営できる体制を整えたため、",
]
REASONS_MIXED = [
    "大学生による事業提案や民間企業との協働事業は一定の成果を上げましたが、感染症対策のため対面での活動が制限され、"
    "当初予定していた事業の一部を実施できなかったことから、",
    "システムの導入により勤務状況の可視化は進みましたが、ワクチン接種事業や感染症対策に伴う業務が集中したことにより、"
    "時間外勤務の総時間は前年度を上回り、有給休暇の平均取得日数も伸び悩んだため、",
    "消防団の装備の更新と処遇改善は予定どおり実施できましたが、地域との連携については訓練の中止が相次ぎ、十分な機会を確保できなかったため、",
]
REASONS_NONE = [
    "関係機関との協議を優先し、予定していた事業の実施を次年度以降に見送ったため、",
]
VERDICTS = {
    "A": "目標を達成したと評価します。",
    "B": "概ね達成と評価します。",
    "C": "一部達成と評価します。",
    "D": "未達成と評価します。",
    "E": "未実施と評価します。",
}

NEXT_STEPS = [
    "オンラインを活用した学生との意見交換の手法を確立するとともに、連携協定先企業との協働事業の成果を検証し、新たな分野での連携を検討します。",
    "SNSの登録者数のさらなる増加に向けた周知を行うとともに、デジタル媒体を利用しない市民にも必要な情報が確実に届くよう、紙媒体との役割分担を検討します。",
    "システムで把握した勤務データを分析し、特定の職員や所属に業務が偏らない人員配置や業務の平準化を進めるとともに、計画的な有給休暇の取得を促進します。",
    "改訂した計画の内容を職員や市民に周知するとともに、計画に基づく各種マニュアルの見直しを進め、実効性の高い防災体制を構築します。",
    "感染症の状況に応じて少人数での訓練や動画を活用した啓発を取り入れるなど、消防団と地域が連携できる機会の確保に努めます。",
    "配備した資機材を活用した避難所開設訓練を地域と合同で実施するとともに、備品の保管状況の定期的な点検を行います。",
]

SURNAMES = ["市川", "小林", "山田", "中村", "田中", "佐藤", "鈴木", "吉田", "松本", "井上", "木村", "岡田",
            "西村", "森本", "藤井", "上田"]
SURNAMES_HASHIGO = ["髙橋", "髙木", "髙田", "山﨑", "宮﨑", "川﨑", "﨑山"]  # 髙 U+9AD9, 﨑 U+FA11
GIVEN_NAMES = ["信行", "一裕", "聡", "健一", "直樹", "浩二", "誠", "裕子", "明美", "和也", "隆", "雅之",
               "恵子", "博之", "智子", "修"]
PORTFOLIOS = ["行財政健全化担当", "危機管理担当", "DX推進担当", "公民連携担当", "地域福祉担当", "都市計画担当"]

YEARS = ["平成30年度", "平成31年度", "令和元年度", "令和2年度", "令和3年度", "令和4年度", "令和5年度"]
# Calendar-year prefix used inside result sentences ("令和3年10月に…").
YEAR_IN_TEXT = {"平成30年度": "平成30年", "平成31年度": "令和元年", "令和元年度": "令和元年"}

GRADES = ["A", "B", "C", "D", "E"]
GRADE_WEIGHTS = [35, 35, 18, 8, 4]

LEGEND = [
    "- A: 達成(設定した目標を達成することができた。100%)",
    "- B: 概ね達成(概ね目標どおり達成することができた。70%以上100%未満)",
    "- C: 一部達成(目標の一部を達成できた。50%以上70%未満)",
    "- D: 未達成(目標達成に向け取り組んだものの、目標達成にはいたらなかった。50%未満)",
    "- E: 未実施(事業の取りやめなどにより評価不能又は困難。0%)",
]

RULE = "-------\t-------"

# --------------------------------------------------------------------------
# Document model
# --------------------------------------------------------------------------


class Ctx:
    def __init__(self, rng, filled, year):
        self.rng = rng
        self.filled = filled
        self.year = year
        self.year_text = YEAR_IN_TEXT.get(year, year[:-1])  # 令和3年度 -> 令和3年


def person(rng):
    sur = rng.choice(SURNAMES_HASHIGO) if rng.random() < 0.25 else rng.choice(SURNAMES)
    return f"{sur} {rng.choice(GIVEN_NAMES)}"


def pick_grade(rng):
    return rng.choices(GRADES, GRADE_WEIGHTS)[0]


def near_grade(rng, g):
    """A target's grade around the goal's overall grade."""
    i = GRADES.index(g) + rng.choice([-1, 0, 0, 0, 1])
    return GRADES[min(max(i, 0), len(GRADES) - 1)]


def status_for(rng, g):
    if g == "E":
        return rng.choice(STATUS_NONE)
    if g in ("A", "B"):
        return rng.choice(STATUS_GOOD + (STATUS_MIXED if g == "B" else []))
    return rng.choice(STATUS_MIXED)


def summary_for(rng, g):
    if g == "E":
        reason = rng.choice(REASONS_NONE)
    elif g == "A":
        reason = rng.choice(REASONS_GOOD)
    elif g == "B":
        reason = rng.choice(REASONS_GOOD + REASONS_MIXED)
    else:
        reason = rng.choice(REASONS_MIXED)
    return reason + VERDICTS[g]


def sentences(text):
    return [s for s in re.findall(r"[^。]+。?", text) if s.strip()]


def recombine(rng, pool, max_sentences=2):
    """One or two sentences drawn from the pool's paragraphs."""
    para = rng.choice(pool)
    if rng.random() < 0.6:
        return para
    sents = [s.strip() for p in rng.sample(pool, min(len(pool), 2)) for s in sentences(p)]
    k = rng.randint(1, min(max_sentences, len(sents)))
    picked = rng.sample(sents, k)
    picked[0] = re.sub(r"^また、?", "", picked[0])  # "また" cannot open the text
    return "".join(picked)


def results_text(ctx):
    return recombine(ctx.rng, RESULTS).replace("{Y}", ctx.year_text)


def division(ctx, divisions):
    if ctx.rng.random() < 0.1 and len(divisions) > 1:
        return "、".join(ctx.rng.sample(divisions, 2))
    return ctx.rng.choice(divisions)


def wrap(rng, text):
    """Break a paragraph mid-sentence into two lines (no space), as the end
    sample's goal 3 results; never between two ASCII characters or next to
    punctuation."""
    n = len(text)
    if n < 20:
        return [text]
    for _ in range(20):
        i = rng.randint(n // 3, 2 * n // 3)
        a, b = text[i - 1], text[i]
        if (a.isascii() and b.isascii()) or a in "、。「」 " or b in "、。「」 ":
            continue
        return [text[:i], text[i:]]
    return [text]


class Goal:
    def __init__(self, ctx, number, title, plan, field, divisions):
        rng = ctx.rng
        self.number, self.title, self.plan, self.field = number, title, plan, field
        self.grade = pick_grade(rng) if ctx.filled else None
        r = rng.random()
        self.layout = "stacked1" if r < 0.25 else "stacked3" if r < 0.4 else "stacked_multi" if r < 0.6 else "side"
        n_targets = rng.choice([1, 1, 2, 2, 3]) if self.layout == "side" else 1
        n_inits = (rng.choice([1, 2, 2, 3]) if self.layout in ("side", "stacked_multi") else 1)
        self.targets = []
        for _ in range(n_targets):
            g = (self.grade if n_targets == 1 else near_grade(rng, self.grade)) if ctx.filled else None
            self.targets.append((recombine(rng, TARGETS), status_for(rng, g) if g else None, g))
        self.initiatives = [(recombine(rng, INITIATIVES), results_text(ctx) if ctx.filled else None,
                             division(ctx, divisions)) for _ in range(n_inits)]
        self.summary = summary_for(rng, self.grade) if ctx.filled else None
        self.next_steps = rng.choice(NEXT_STEPS) if ctx.filled else None
        self.division_space = rng.random() < 0.4  # goal 6: "所管室・課 危機管理課<TAB>"
        self.wrap_results = ctx.filled and rng.random() < 0.25
        self.title_rule = "-" * (len(title) + rng.choice([1, 2]))

    # Detail page lines (without the 部(局)名 header, which the document adds).
    def page(self, ctx):
        out = [f"重点目標 {self.number}\t{self.title}", f"--------\t{self.title_rule}", ""]
        getattr(self, "_" + self.layout)(ctx, out)
        return out

    def _results_lines(self, ctx, text):
        return wrap(ctx.rng, text) if self.wrap_results else [text]

    def _evaluation_stacked(self, ctx, out):
        out += ["総合評価・総括"] + ([self.summary] if ctx.filled else []) + [""]
        out += ["全体の達成度"] + ([self.grade] if ctx.filled else []) + [""]
        out += ["次年度以降に向けて検討すべきこと"] + ([self.next_steps] if ctx.filled else [])

    def _stacked1(self, ctx, out, gap=1):
        # Goal 1 (gap 1) and goals 3/4 (gap 3) of the samples.
        target, status, g = self.targets[0]
        init, results, div = self.initiatives[0]
        out += ["今年度の達成目標", target] + [""] * gap
        out += ["達成状況\t達成度"]
        blanks = [""] * 3
        if ctx.filled:
            blanks[0] = f"{status}\t{g}"
        out += blanks
        out += ["具体的取組\t", f"{init}\t", f"所管室・課\t{div}"] + [""] * gap
        out += ["具体的な取組実績"]
        if ctx.filled:
            out += self._results_lines(ctx, results)
        out += [""] * 3
        self._evaluation_stacked(ctx, out)

    def _stacked3(self, ctx, out):
        self._stacked1(ctx, out, gap=3)

    def _stacked_multi(self, ctx, out):
        # Goal 2 of the samples.
        target, status, g = self.targets[0]
        out += ["今年度の達成目標", target, "", "達成状況\t達成度"]
        out += [f"{status}\t{g}" if ctx.filled else ""]
        for init, results, div in self.initiatives:
            out += ["具体的取組", init, "", "具体的な取組実績"]
            if ctx.filled:
                out += self._results_lines(ctx, results)
            out += ["", f"所管室・課\t{div}", RULE, ""]
        self._evaluation_stacked(ctx, out)

    def _side(self, ctx, out):
        # Goals 5/6 of the samples.
        for target, status, g in self.targets:
            out += ["今年度の達成目標\t達成状況\t達成度"]
            out += [f"{target}\t{status}\t{g}" if ctx.filled else f"{target}\t\t"]
        out += [""]
        for init, results, div in self.initiatives:
            out += ["具体的取組\t具体的な取組実績", f"{init}\t{results if ctx.filled else ''}"]
            out += [f"所管室・課 {div}\t" if self.division_space else f"所管室・課\t{div}"]
        out += ["", "総合評価・総括\t全体の達成度"]
        if ctx.filled:
            out += [f"{self.summary}\t{self.grade}"]
        out += ["", "次年度以降に向けて検討すべきこと"]
        if ctx.filled:
            out += [self.next_steps]


def document(seed, index):
    """(text, encoding, filled) of document `index` (1-based)."""
    text, encoding, filled, _ = document_with_model(seed, index)
    return text, encoding, filled


def document_with_model(seed, index):
    """As document(), plus a dict of what a correct conversion must find
    (department, head, officers, year and per goal its title, plan goal,
    field, grades, targets, initiatives, evaluation), for checking output."""
    rng = random.Random(f"hoshin-corpus:{seed}:{index}")
    year = rng.choice(YEARS)
    ctx = Ctx(rng, rng.random() < 0.5, year)
    dept = rng.choice(list(DEPARTMENTS))
    opening, divisions = DEPARTMENTS[dept]

    lines = ["", "", f"{year} {dept}の運営方針", ""]
    lines.append(f"部(局)\t{dept}\t部(局)長\t{person(rng)}")
    head = lines[-1].split("\t")[3]
    officers = []
    n_officers = rng.choices([0, 1, 2], [25, 35, 40])[0]
    if n_officers:
        cells = []
        for p in rng.sample(PORTFOLIOS, n_officers):
            officers.append(("理事", person(rng), p))
            cells += ["理事", f"{officers[-1][1]} ({p})"]
        lines.append("\t".join(cells))
    lines += ["", "【基本方針】", ""]

    # Basic policy: the department's own opening, then 1-4 paragraphs of the
    # samples' sentences, reordered and regrouped.
    # (A sentence opening with "また、" only follows its own predecessor.)
    pairs = [POLICY_SENTENCES[0:2], POLICY_SENTENCES[2:4]]
    rng.shuffle(pairs)
    paragraphs = [opening]
    for pair in pairs[: rng.randint(1, 2)]:
        if rng.random() < 0.5:
            paragraphs.append("".join(pair))
        elif rng.random() < 0.5:
            paragraphs += [pair[0], pair[1][len("また、"):]]
        else:
            paragraphs.append(pair[0])
    if rng.random() < 0.3:  # the department's opening joined to the next paragraph
        paragraphs[0:2] = ["".join(paragraphs[0:2])]
    for p in paragraphs:
        lines += [p, ""]

    n_goals = rng.randint(3, 9)
    chosen = rng.sample(GOAL_TITLES, n_goals)
    goals = [Goal(ctx, i + 1, t, plan, field, divisions) for i, (t, plan, field) in enumerate(chosen)]

    lines += ["【重点目標】", ""]
    for g in goals:
        lines.append(f"{g.number}\t目標\t({g.plan})\t{PLAN_GOALS[g.plan]}\t分野\t{g.field}\t{year} 達成状況")
        lines.append(f"\t{g.title}\t\t\t\t\t{g.grade or ''}")
    lines += ["", "【達成度について】", ""] + LEGEND + [""]

    for k, g in enumerate(goals):
        lines += [f"部(局)名\t{dept}", RULE, ""]
        lines += g.page(ctx)
        if k + 1 < len(goals):
            lines.append("")
    text = "\n".join(lines)  # no final newline, like the samples

    r = rng.random()
    encoding = "cp932" if r < 0.10 else "utf-8-bom" if r < 0.15 else "utf-8"
    model = {
        "year": year, "department": dept, "head": head, "officers": officers,
        "basic_policy": paragraphs, "filled": ctx.filled, "encoding": encoding,
        "goals": [{
            "number": g.number, "title": g.title, "layout": g.layout,
            "plan_goal": (g.plan, PLAN_GOALS[g.plan]), "field": g.field, "grade": g.grade,
            "targets": g.targets,
            "initiatives": [(t, res, div.split("、")) for t, res, div in g.initiatives],
            "summary": g.summary, "next_steps": g.next_steps,
            "division_space": g.division_space, "wrapped": g.wrap_results,
        } for g in goals],
    }
    return text, encoding, ctx.filled, model


# --------------------------------------------------------------------------
# Encoding (as in tools/make_variants.py: Windows writes IBM extensions)
# --------------------------------------------------------------------------


def build_ibm_extension_map():
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


def encode_cp932(text):
    out = bytearray()
    for ch in text:
        raw = ch.encode("cp932")  # strict
        if len(raw) == 2 and raw[0] in (0xED, 0xEE) and ch in IBM_EXTENSION:
            raw = IBM_EXTENSION[ch]
        out += raw
    return bytes(out)


def encode(text, encoding):
    if encoding == "cp932":
        data = encode_cp932(text.replace("\n", "\r\n"))
        assert data.decode("cp932") == text.replace("\n", "\r\n")
        return data
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if encoding == "utf-8-bom" else data


# --------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("-n", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args()
    if args.n < 1:
        ap.error("-n must be at least 1")

    out = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    stamp = out / ".gen_corpus"
    if stamp.exists():
        stamp.unlink()  # rewritten once the corpus is complete
    width = max(5, len(str(args.n)))
    names = set()
    total = 0
    counts = {"cp932": 0, "utf-8-bom": 0, "utf-8": 0}
    filled = 0
    for i in range(1, args.n + 1):
        text, encoding, is_filled = document(args.seed, i)
        data = encode(text, encoding)
        name = f"doc_{i:0{width}d}.txt"
        names.add(name)
        path = out / name
        if not path.exists() or path.read_bytes() != data:
            tmp = out / (name + ".part")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        total += len(data)
        counts[encoding] += 1
        filled += is_filled
    stale = [p for p in out.iterdir() if re.fullmatch(r"doc_\d+\.txt", p.name) and p.name not in names]
    for p in stale:
        p.unlink()

    sha = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    stamp.write_text(f"n={args.n}\nseed={args.seed}\nsha256={sha}\n", encoding="ascii")
    print(f"gen_corpus: {args.n} files, {total / 1e6:.2f} MB in {out} "
          f"(filled {filled}, empty {args.n - filled}; utf-8 {counts['utf-8']}, "
          f"utf-8+BOM {counts['utf-8-bom']}, cp932+CRLF {counts['cp932']}; seed {args.seed}"
          + (f"; removed {len(stale)} stale" if stale else "") + ")")


if __name__ == "__main__":
    main()
