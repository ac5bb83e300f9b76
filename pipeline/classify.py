"""Document type from keyword evidence: titles, field labels and layout, weighted and robust to OCR noise.

Each keyword votes for one type with a weight; a keyword in the title area (top
of the page, or a large font near the top) weighs ``TITLE_FACTOR`` times more;
each keyword counts once per document; later pages weigh less. Only keywords that
name a document, not field labels, gain from the title area. The score turns
the winning total and its margin over the runner-up into a 0-1 confidence: a
caller should treat a type as established only from ``CONFIDENT_TYPE_SCORE``.

Types are the slot names; ``agent_id_card`` is never returned (an agent's ID
card is an ``id_card``; the caller accepts it for that slot).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from models.evidence import Evidence
from pipeline.fuzzy import approximate_find
from pipeline.glyphs import lookalike_substitution_cost
from pipeline.pagetext import PageText

UNKNOWN = "unknown"
TITLE_FACTOR = 2.5
LATER_PAGE_FACTOR = 0.5
FUZZY_FACTOR = 0.7
# A three-character title (申请表) is matched fuzzily only with one close look-alike in it (中请表 for
# 申请表 on a blurred photo, 中/申 0.80: fresh seed 9634); one whole edit would make other words.
SHORT_TITLE_LOOKALIKE_BUDGET = 0.25
MIN_TOTAL = 3.0
CONFIDENT_TYPE_SCORE = 0.6
TITLE_ZONE = 0.15
_SCALE = 6.0

# (type, keyword regex, weight, fuzzy literal or None, names the document). Regexes tolerate spacing
# inside titles; only keywords that name a document (not field labels) gain from the title area.
_S = r"\s*"
_RAW_KEYWORDS: tuple[tuple[str, str, float, str | None, bool], ...] = (
    # 身份证 / 社保卡
    ("id_card", "居" + _S + "民" + _S + "身" + _S + "份" + _S + "证", 6, "居民身份证", True),
    ("id_card", "公" + _S + "民" + _S + "身" + _S + "份" + _S + "号" + _S + "码", 6, "公民身份号码", False),
    ("id_card", "签" + _S + "发" + _S + "机" + _S + "关", 4, None, False),
    ("id_card", "社" + _S + "会" + _S + "保" + _S + "障" + _S + r"卡(?!\s*号)", 7, None, True),
    ("id_card", r"社保卡(?!\s*号)", 4, None, True),
    ("id_card", "社" + _S + "会" + _S + "保" + _S + "障" + _S + "卡" + _S + "号", 5, None, False),
    ("id_card", "社" + _S + "会" + _S + "保" + _S + "障" + _S + "号" + _S + "码", 2, None, False),
    ("id_card", "发" + _S + "卡" + _S + "(?:日" + _S + "期|机" + _S + "构)", 4, None, False),
    ("id_card", "有" + _S + "效" + _S + "期" + _S + "限", 2, None, False),
    ("id_card", "中华人民共和国", 1, None, False),
    ("id_card", "^" + _S + "民" + _S + "族", 1.5, None, False),
    ("id_card", "住" + _S + "址", 1.5, None, False),
    ("id_card", "^" + _S + "出" + _S + "生", 1, None, False),
    # 居住证
    ("residence_permit", "居" + _S + "住" + _S + "证", 12, None, True),
    # its 居 misread (山西省网住证 on a phone photo): no other document's name ends in 住证
    ("residence_permit", "(?<!居)住" + _S + "证", 6, None, True),
    ("residence_permit", "居住登记", 3, None, False),
    ("residence_permit", "签注记录", 3, None, False),
    # 诊断证明书
    ("diagnosis_certificate", "诊" + _S + "断" + _S + "证" + _S + "明" + _S + "书", 9, "诊断证明书", True),
    ("diagnosis_certificate", "诊断证明", 6, "诊断证明", True),
    ("diagnosis_certificate", "疾病证明", 6, None, True),
    ("diagnosis_certificate", "(?<!申请)证明书", 3, None, False),
    ("diagnosis_certificate", "兹证明|特此证明", 3, None, False),
    ("diagnosis_certificate", "医疗证明|病情证明", 5, None, True),
    ("diagnosis_certificate", "建议[:：]?(?:休息|全休|注意)", 1.5, None, False),
    # 检查 / 检验 / 病理 / 影像报告
    ("exam_report", "检" + _S + "[查验]" + _S + "报" + _S + "告" + _S + "单", 7, "检查报告单", True),
    # the department between (检验科报告: alternative templates 3, seed 7303, uploaded as an ID card)
    ("exam_report", "[检化]验科?报告|检查报告|诊断报告", 5, None, True),
    ("exam_report", "报告单", 3, None, True),
    ("exam_report", "检验单|化验单", 4, None, True),
    ("exam_report", "(?<![A-Za-z])(?:CT|MRI|MR|DR|PET)(?![A-Za-z])", 2, None, False),
    ("exam_report", "磁共振|彩超|B超|超声|心电图|内镜|胃镜|肠镜|造影|X线|断层扫描", 3, None, False),
    # a title that ends in 报告 names a report (计算机断层扫描（CT）报告, 病理报告); in the body a row ends so
    # only as a heading. Other slots' titles end otherwise (证明书, 病历, 申请表, 审批表, 委托书)
    ("exam_report", r"报" + _S + "告" + _S + "$", 3, None, True),
    ("exam_report", "病理", 3, None, False),
    ("exam_report", "影像|放射", 2, None, False),
    ("exam_report", "血常规|尿常规|生化|血细胞分析|肝功|肾功|血糖|糖化血红蛋白|血脂", 3, None, False),
    ("exam_report", "参考[值范围区间]", 2, None, False),
    ("exam_report", "结果", 1, None, False),
    ("exam_report", "检[验查]项目|检验者|检验医师|审核医师|报告医师|审核者|检查医[师生]", 2, None, False),
    ("exam_report", "检查所见|影像所见|超声所见|镜下所见|检查结论|超声提示|影像诊断|病理诊断", 3, None, False),
    ("exam_report", "标本|样本|采样|送检", 2, None, False),
    ("exam_report", "^" + _S + "印" + _S + "象", 1.5, None, False),
    # 门诊病历
    ("medical_record", "门" + _S + "诊" + _S + "病" + _S + "[历例]", 8, "门诊病历", True),
    ("medical_record", "病历记录|门诊记录|就诊记录|病程记录|出院记录|入院记录|出院小结|住院病历|病案首页", 6, None, True),
    ("medical_record", "病[历例]", 3, None, False),
    ("medical_record", "主" + _S + "诉", 4, None, False),
    ("medical_record", "现" + _S + "病" + _S + "史", 4, None, False),
    ("medical_record", "既往史|个人史|家族史|过敏史", 3, None, False),
    ("medical_record", "体格检查|查体|专科检查", 2.5, None, False),
    ("medical_record", "处理意见|处理[:：]|治疗意见", 2, None, False),
    # 用药记录 / 处方
    ("medication_record", "处" + _S + "方" + _S + "[笺签]", 8, "处方笺", True),
    ("medication_record", "用药记录|用药清单|购药记录|取药记录|医嘱单", 7, None, True),
    ("medication_record", "处方", 4, None, True),
    ("medication_record", "(?<![A-Za-z])R[Pp](?![A-Za-z])|^\\s*R[:：.]", 3, None, False),
    ("medication_record", "用法|用量|药品名称|药名", 2.5, None, False),
    ("medication_record", "口服|静滴|皮下注射|每日|[一二三]次|qd|bid|tid", 1.5, None, False),
    ("medication_record", "规格|数量|调配|核对|发药|药师|取药", 1.5, None, False),
    ("medication_record", "(?<![A-Za-z])mg(?![A-Za-z])|片剂|胶囊|缓释片", 1, None, False),
    # 申请表
    ("application_form", "申" + _S + "请" + _S + "[表书]", 8, "申请表", True),
    ("application_form", "认定申请|续办申请|资格申请|待遇申请|鉴定申请|(?<!授权)(?<!代办)(?<!委托)登记表", 6, None, True),
    ("application_form", "申请人|申请病种|申报病种|申请类别", 3, None, False),
    ("application_form", "门诊慢[特性]病|门诊特殊疾病|慢特病|门特|特殊病种", 1.5, None, False),
    ("application_form", "医[师生]意见|经治医[师生]|主治医[师生]|医师签[名字]|医生签[名字]", 2.5, None, False),
    ("application_form", "参保人|参保类别|险种|参保地|联系电话", 1.5, None, False),
    ("application_form", "申请日期", 2, None, False),
    # 原认定审批表
    ("previous_approval", "审" + _S + "批" + _S + "表", 9, "审批表", True),
    ("previous_approval", "认" + _S + "定" + _S + "表", 7, None, True),
    ("previous_approval", "待遇审批|认定通知书|审批通知|资格认定结果|认定结果(?:通知|告知)|认定(?:通知|告知)[书单]",
     6, None, True),
    # the certificate handed to the insured person (门诊慢特病待遇认定凭证, alternative templates family 2, seed 7107:
    # uploaded as a medical record, it passed unseen; 待遇资格证, 特殊疾病治疗证); not 医保电子凭证, printed on
    # prescriptions and invoices
    ("previous_approval", "(?:认定凭证|待遇凭证|待遇认定证|待遇资格证|疾病治疗证|慢[性特]?病治疗证)(?![明书])", 6, None,
     True),
    # a chronic-disease filing record, the approval as the insurance platform prints it (门诊慢特病备案信息查询结果:
    # alternative templates 2, seed 7120, uploaded as a medical record); not 异地就医备案, a residence filing
    ("previous_approval", "(?:慢特病|慢性病|特殊疾?病|门特|病种)备案", 6, None, True),
    ("previous_approval", "审批意见|认定结果|认定意见|复核意见|经办机构意见", 3, None, False),
    # what the decision granted: the disease, the date of approval, the validity range
    ("previous_approval", "(?:认定|审批|核准|批准)(?:病种|疾病)", 3, None, False),
    ("previous_approval", "(?:审批|认定|批准)日期", 2, None, False),
    ("previous_approval", "经办机构|医保经办|医疗保障局|医保局|医疗保障服务中心|医保服务中心|经办人", 2, None, False),
    ("previous_approval", "准予|同意认定|予以认定|待遇资格|有效期[:：]?[^至，。]{0,12}至|享受期", 2.5, None, False),
    # 授权委托书
    ("power_of_attorney", "授" + _S + "权" + _S + "委" + _S + "托" + _S + "书", 10, "授权委托书", True),
    ("power_of_attorney", "委" + _S + "托" + _S + "书", 7, "委托书", True),
    # a title naming the authorisation of an agent, whatever form it takes (代办授权登记表: alternative templates 3,
    # seed 7301, taken for an application form by its 登记表)
    ("power_of_attorney", "代办授权|授权代办|代办委托|委托代办|授权登记", 9, None, True),
    ("power_of_attorney", "委托人|受托人|被委托人", 4, None, False),
    ("power_of_attorney", "代为办理|委托事项|委托期限|委托权限|代理人", 3, None, False),
    ("power_of_attorney", "代办|授权", 1.5, None, False),
    # Documents no slot takes, uploaded in one's place (FOREIGN_KINDS): a receipt or invoice for the
    # visit instead of its report, a contract, a household register, a drug's leaflet
    ("invoice", "收费票据|医疗收费|发票|收据|财政票据", 8, None, True),
    ("invoice", "票据代码|票据号码|发票代码|发票号码|校验码|交款人|收款人|收款单位|开票人", 3, None, False),
    ("invoice", "合计[（(]?\\s*大写|人民币[（(]?大写|[¥￥]\\s*\\d|医保统筹支付|个人自付|个人现金支付|现金支付", 3, None, False),
    ("contract", "合同|协议书", 8, None, True),
    ("contract", "甲方|乙方|违约责任|争议解决", 3, None, False),
    ("household_register", "居民户口簿|户口簿|常住人口登记卡", 10, None, True),
    ("household_register", "户主|与户主关系|户号|户别", 3, None, False),
    ("drug_leaflet", "说明书", 8, None, True),
    ("drug_leaflet", "【成\\s*份】|【适应症】|【用法用量】|【不良反应】|【禁忌】|【注意事项】|【贮\\s*藏】", 3, None, False),
    # a certificate or licence of another kind (a laboratory's 认可证书 opens with 兹证明, as a diagnosis
    # certificate does)
    ("other_certificate", "(?:认可|资格|荣誉|毕业|执业|获奖|结业|培训|职称|学位|许可)证书|营业执照", 8, None, True),
    ("other_certificate", "CERTIFICATE|Certificate|证书编号|注册号", 3, None, False),
)
# What these are, in the reviewer's words; the detected type of such a file stays ``unknown`` (it is
# no material), but it is clearly not the material of the slot it was uploaded as.
FOREIGN_KINDS = {"invoice": "收费票据/发票", "contract": "合同", "household_register": "户口簿",
                 "drug_leaflet": "药品说明书", "other_certificate": "证书/执照"}


@dataclass(frozen=True)
class Keyword:
    doc_type: str
    pattern: re.Pattern[str]
    weight: float
    fuzzy: str | None = None
    is_title: bool = False


KEYWORDS: tuple[Keyword, ...] = tuple(
    Keyword(t, re.compile(p, re.MULTILINE), w, f, title) for t, p, w, f, title in _RAW_KEYWORDS
)


@dataclass(frozen=True)
class KeywordHit:
    """One keyword found on a page.

    Attributes:
        doc_type: The type the keyword votes for.
        keyword: The keyword's pattern, naming it.
        page: 1-based page number.
        start: Offset in the page string.
        end: Offset just past the hit.
        weight: The vote after title, page and fuzzy factors.
        in_title: Whether the hit sits in the title area.
    """

    doc_type: str
    keyword: str
    page: int
    start: int
    end: int
    weight: float
    in_title: bool


@dataclass(frozen=True)
class TypeDecision:
    """The detected type, its confidence, the hit that weighed most and every type's total."""

    doc_type: str
    score: float
    best_hit: KeywordHit | None
    totals: dict[str, float] = field(default_factory=dict)
    foreign: str | None = None  # a kind of ``FOREIGN_KINDS`` when the file is one (doc_type is then unknown)


def _title_rows(page_text: PageText) -> set[int]:
    """Rows in the title area: the first rows of the page's text, plus large-font rows in its upper half."""
    median_h = page_text.median_line_height
    rows = set()
    for index, row in enumerate(page_text.rows):
        relative = page_text.relative_position(row.y_centre)
        if relative <= TITLE_ZONE or (relative <= 0.5 and row.height >= 1.4 * median_h) or index < 2:
            rows.add(index)
    return rows


def keyword_hits(page_text: PageText) -> list[KeywordHit]:
    """Every type keyword on one page, each keyword at most once (its strongest occurrence).

    Args:
        page_text: The page string with geometry.
    """
    title_rows = _title_rows(page_text)
    page_number = page_text.page.page
    page_factor = 1.0 if page_number == 1 else LATER_PAGE_FACTOR
    hits: list[KeywordHit] = []
    for keyword in KEYWORDS:
        best: KeywordHit | None = None
        for row_index, row in enumerate(page_text.rows):
            row_text = page_text.text[row.start:row.end]
            in_title = row_index in title_rows and keyword.is_title
            factor = page_factor * (TITLE_FACTOR if in_title else 1.0)
            found_span = _search_ignoring_spaces(keyword.pattern, row_text)
            span: tuple[int, int] | None = None
            weight = 0.0
            if found_span is not None:
                span, weight = found_span, keyword.weight * factor
            elif keyword.fuzzy and len(keyword.fuzzy) >= 4:
                found = approximate_find(keyword.fuzzy, row_text, 1)
                # one character misread, none dropped: a dropped last character too often leaves
                # another word ("社会保障[号码]" is not "社会保障卡")
                if found is not None and found[1] - found[0] == len(keyword.fuzzy):
                    span, weight = (found[0], found[1]), keyword.weight * factor * FUZZY_FACTOR
            elif keyword.fuzzy and len(keyword.fuzzy) == 3:
                found = approximate_find(keyword.fuzzy, row_text, SHORT_TITLE_LOOKALIKE_BUDGET,
                                         lookalike_substitution_cost)
                if found is not None and found[1] - found[0] == len(keyword.fuzzy):
                    span, weight = (found[0], found[1]), keyword.weight * factor * FUZZY_FACTOR
            if span is None:
                continue
            if best is None or weight > best.weight:
                best = KeywordHit(keyword.doc_type, keyword.pattern.pattern, page_number, row.start + span[0],
                                  row.start + span[1], weight, in_title)
        if best is not None:
            hits.append(best)
    # A keyword inside a stronger one of the same type ("检查报告" in "检查报告单") adds nothing.
    return [h for h in hits if not any(o is not h and o.doc_type == h.doc_type and o.start <= h.start
                                       and h.end <= o.end and o.weight >= h.weight for o in hits)]


def _search_ignoring_spaces(pattern: re.Pattern[str], text: str) -> tuple[int, int] | None:
    """Where ``pattern`` matches ``text``, or else ``text`` with its spaces taken out (a title set
    letter-spaced, 诊 断 证 明 in a text layer), as offsets in ``text``."""
    match = pattern.search(text)
    if match:
        return match.start(), match.end()
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    if len(kept) == len(text):
        return None
    match = pattern.search("".join(text[i] for i in kept))
    if not match or match.end() == match.start():
        return None
    return kept[match.start()], kept[match.end() - 1] + 1


def _score(top: float, second: float) -> float:
    if top <= 0:
        return 0.0
    strength = 1.0 - math.exp(-top / _SCALE)
    margin = (top - second) / top
    return round(strength * (0.4 + 0.6 * margin), 3)


def decide_type(hits: Iterable[KeywordHit], hint: str | None = None) -> TypeDecision:
    """Add up keyword votes over a document's pages and pick its type.

    Args:
        hits: Keyword hits of every page.
        hint: The slot the file was uploaded as. It only breaks near-ties: the hinted type
            wins when its total reaches 75% of the leader's.

    Returns:
        The type (or ``unknown`` when the evidence is too thin) and a 0-1 confidence.
    """
    per_keyword: dict[tuple[str, str], KeywordHit] = {}
    for hit in hits:
        key = (hit.doc_type, hit.keyword)
        if key not in per_keyword or hit.weight > per_keyword[key].weight:
            per_keyword[key] = hit
    totals: dict[str, float] = {}
    for hit in per_keyword.values():
        totals[hit.doc_type] = totals.get(hit.doc_type, 0.0) + hit.weight
    if not totals:
        return TypeDecision(UNKNOWN, 0.0, None, {})
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    winner, top = ranked[0]
    hinted = "id_card" if hint == "agent_id_card" else hint
    if hinted and hinted != winner and totals.get(hinted, 0.0) >= max(0.75 * top, MIN_TOTAL):
        winner, top = hinted, totals[hinted]
    second = max((v for k, v in totals.items() if k != winner), default=0.0)
    if top < MIN_TOTAL:
        return TypeDecision(UNKNOWN, 0.0, None, totals)
    best_hit = max((h for h in per_keyword.values() if h.doc_type == winner), key=lambda h: h.weight)
    if winner in FOREIGN_KINDS:
        return TypeDecision(UNKNOWN, _score(top, second), best_hit, totals, foreign=winner)
    return TypeDecision(winner, _score(top, second), best_hit, totals)


def classify_pages(pages: Sequence[PageText], hint: str | None = None) -> TypeDecision:
    """Type of a document from its pages' text (keyword search and decision in one call).

    Args:
        pages: The document's pages in order.
        hint: The slot the file was uploaded as (breaks near-ties only).
    """
    hits = [hit for page in pages for hit in keyword_hits(page)]
    return decide_type(hits, hint)


def decision_evidence(decision: TypeDecision, pages: Sequence[PageText]) -> Evidence | None:
    """Evidence for a type decision: the strongest keyword as read, with its box."""
    hit = decision.best_hit
    if hit is None:
        return None
    page = next((p for p in pages if p.page.page == hit.page), None)
    if page is None:
        return None
    return Evidence(stage="extract", page=hit.page, bbox=page.bbox_of(hit.start, hit.end),
                    text=page.text[hit.start:hit.end], value=decision.doc_type, confidence=decision.score)
