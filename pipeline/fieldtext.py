"""Small pure parsers for labelled fields in OCR text: person names, ID numbers, diagnosis, stage, ICD-10 codes.

They read strings (and, for the diagnosis, the page's row layout) and return
offsets into them; the spaCy components turn those into spans, and the
extraction step chooses among them. Dates live in ``dates.py``, hospitals in
``hospitals.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.dates import normalise_ocr_text
from pipeline.glyphs import UNREAD_GLYPH
from pipeline.pagetext import PageText, Row

_CJK = "\u4e00-\u9fff"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"  # a list item's number, circled

# ---------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------

# (role, label regex); a longer label is listed before the shorter one it contains.
_NAME_LABELS: tuple[tuple[str, str], ...] = (
    # 托 may be lost on a blurred photo (委人：); 与委托人关系 is the agent's relation to the principal;
    # 受委托人 and 被授权人 are the agent
    # 委 may be read as its look-alike 类 before 托人 (类托人：武彩红, fresh seed 9644)
    ("principal", r"(?<![与受被爱])(?:委|类(?=\s*托\s*人))\s*托?\s*人\s*(?:姓\s*名)?(?!\s*关\s*系)"),
    ("principal", r"(?<![受被])(?:授\s*权\s*人|委\s*托\s*方)\s*(?:姓\s*名)?"),
    # a power of attorney written as a sentence: 本人王建国，身份证号… (the name, then the number)
    ("principal", r"本\s*人(?=\s*[\u4e00-\u9fff·]{2,5}\s*[（(,，]?\s*(?:公\s*民\s*)?身\s*份)"),
    ("patient", r"(?:申\s*请\s*人|本\s*人|患\s*者)\s*[（(]?\s*签\s*[名字章]\s*[）)]?"),
    # 受 may be read as its look-alike 爱 before 托人 (爱托人：T晚手, fresh seed 9644)
    ("agent", r"(?:[被受]\s*委\s*托\s*人|[受爱]\s*托\s*[人方]|被\s*授\s*权\s*人|代\s*办\s*人|代\s*理\s*人)\s*(?:姓\s*名)?"),
    ("patient", r"(?:患\s*者|病\s*人|病\s*员|就\s*诊\s*人|申\s*请\s*人|参\s*保\s*人|持\s*卡\s*人|"
                r"[受被体]\s*检\s*[者人])\s*姓\s*名"),
    # who was examined, on an exam or lab report (受检者：, 被检者：, 体检人：)
    ("patient", r"[受被体]\s*检\s*[者人](?!\s*(?:签|身|证|须|注|知|类|编|号))"),
    ("patient", r"(?<![委托代办理请保卡])姓\s*名"),
    # 患者姓名 with its 名 misread, before its colon (患者姓者！武敏, the colon read ！ on fresh seed 9581) or
    # before the name in its own box (患者姓者 程林刚: alternative templates, seed 7006, 姓者 was taken for the name)
    ("patient", r"(?:患\s*者|病\s*人)\s*姓\s*[\u4e00-\u9fff](?=\s*[:：!！]|\s+[\u4e00-\u9fff])"),
    ("patient", r"(?:申\s*请\s*人|参\s*保\s*人)(?!\s*(?:签|身|证|类|地|电|联|住|意|承|声|须|信|基|情))"),
    ("patient", r"(?:患\s*者|病\s*人)(?!\s*(?:签|身|证|信|基|类|来|编|主|病|自|家|既))"),
    ("patient", r"名\s*字"),
    # 姓名 with its 名 lost, the colon kept, at the row's start (姓：户赠 for 姓名：卢娟晓, fresh seed 9643)
    ("patient", r"^\s*姓(?=\s*[:：])"),
    # 姓名 whose 姓 was lost or cut off at the row's start (姓  名 spaced out, 名孟丁 on a real lab report)
    # (#名 冯国文 on a card photo: its 姓 left unread, written # by PP-OCR, fresh seed 9608)
    ("patient", r"^\s*#?\s*名(?!\s*(?:称|单|次|额|片|义|誉|著|牌|下|列|目|录|词|胜|贵|医|言|人|家|师|流|气|号|册|[:：]?\s*$))"),
)
_NAME_LABEL = re.compile("|".join(f"(?P<r{i}>{p})" for i, (_, p) in enumerate(_NAME_LABELS)))
_LABEL_GLOSS = re.compile(r"[/／|]?\s*[A-Za-z][A-Za-z .'’]{0,24}?\s*[:：]\s*")
# an unread glyph (钟#秀, its 梅 blurred) is kept inside a name as that character
# a name's first character may be 丁 read as the Latin T it looks like (T新发 for 丁新宏 on a phone photo)
_NAME_VALUE = re.compile(rf"(?:[{_CJK}·•]|T(?=\s?[{_CJK}]))(?:\s?[{_CJK}·•{UNREAD_GLYPH}]){{1,11}}")
# A name written into a sentence (患者王建国因头晕…来我院就诊) ends where the sentence goes on with one of
# these words (于 is also a surname: 于金燕 keeps it, and a name may end in one: 王春来).
_SENTENCE_GOES_ON = "因于在经来自到曾现已不"  # 不: 委托人蒋翠燕不能亲自办理 (alt2, seed 7102)


def _name_before_the_sentence_goes_on(text: str) -> str:
    """``text`` cut where a sentence goes on after the name: in a run too long for a name (over five
    characters), at the first such word after two characters; in a run of four, at a fourth that is one
    (于金燕于2025年…)."""
    if " " in text:
        return text  # a spaced name (张 三): not a sentence
    if len(text) > 5:
        cut = next((i for i in range(2, 5) if text[i] in _SENTENCE_GOES_ON), None)
        return text[:cut] if cut is not None else text
    if len(text) == 4 and text[3] in _SENTENCE_GOES_ON:
        return text[:3]
    return text


# The last character of a field label whose first the OCR lost together with the gap before it (性别 → 别).
_LABEL_LAST_CHARS = "别龄族"
# Words that end a name written without a gap before the next field.
_NAME_STOP = re.compile(r"委托|受托|代办|患者|姓名|申请|性\s*别|性|年\s*龄|民\s*族|出\s*生|科\s*室|科别|床\s*号|门诊|住院|"
                        r"病历|病案|病区|编号|卡号|证号|号码|电话|联系|身份|"
                        r"证件|地址|住址|籍贯|职业|单位|关系|婚|ID|签|男|女|\d")
# What a sentence or a form's instruction goes on with after 患者 / 申请人 (患者上述症状反复, 患者在我院就诊,
# 申请人如实填写: alternative templates, seed 7004, 上述状反复 a false IDENTITY_MISMATCH), never a name's start.
# 医保经办机构意见 is the next column's header in a form's header row (申请人签字 | 医保经办机构意见: alternative
# templates family 2, seed 7101, 医保 read as the applicant, five forms).
_NOT_NAME_STARTS = ("签", "盖", "（", "(", "上述", "以上", "自述", "目前", "近期", "长期", "反复", "在我", "我院", "如实", "须",
                    "本表", "应当", "需要", "医保", "社保", "经办", "定点", "医疗", "机构",
                    # what a power of attorney's sentence says of 委托人 (委托人均予认可: alt2, seed 7102)
                    "均", "不", "亲自", "同意", "全权", "代为", "所签",
                    # … and does (委托人在办理过程中所签署的…: fresh seed 9644, 在办理过 taken for a name)
                    "在", "将", "已经", "对", "向", "办理", "签署",
                    # … and why (委托人因身体原因无法前往: alternative templates 3, seed 7301, 因身体原 taken for a name)
                    "因",
                    # a physician's opinion: 患者诊断明确，符合… (alternative templates family 2, seed 7103)
                    "诊断", "符合", "病情",
                    # a form's section header: 申请人填写 | 定点医疗机构填写 (alternative templates 3, seed 7301: six forms)
                    "填")
_NOT_NAMES = frozenset({"签名", "签字", "盖章", "本人", "患者", "病人", "姓名", "性别", "年龄", "未填", "无", "不详", "同上",
                        "申请人", "委托人", "受托人", "代办人", "家属", "先生", "女士", "科室", "签章", "身份证",
                        "以下", "如下", "本人签名", "声明", "承诺", "须知",
                        # the next column's header, 公民身份号码 cut at 身份 (alternative templates 3, seed 7301)
                        "公民",
                        # the next column's label, its first character lost (申请人： … 办人 of 经办人：, alternative
                        # templates 2, seed 7111: a false name)
                        "经办人", "办人", "托人", "请人", "联系人", "系人", "负责人", "责人"})


def _one_unread_glyph_among_three(value: str) -> bool:
    """Whether a name holding an unread glyph still says enough: one such glyph, in a name of 3-4 characters."""
    return value.count(UNREAD_GLYPH) == 1 and 3 <= len(value) <= 4


@dataclass(frozen=True)
class NameMatch:
    """A person name written after a label.

    Attributes:
        start: Offset of the name in the searched string.
        end: Offset just past it.
        value: The name with spaces removed.
        label: The label as read.
        role: "patient", "principal" (委托人) or "agent" (受托人 / 代办人).
        label_start: Offset of the label.
    """

    start: int
    end: int
    value: str
    label: str
    role: str
    label_start: int


def _first_word(text: str) -> str:
    """The name part of ``text``: up to the first gap, unless the name itself is spaced (``张 三``)."""
    parts = text.split(" ")
    if len(parts[0]) >= 2:
        return parts[0]
    taken = []
    for part in parts:
        if len(part) != 1:
            break
        taken.append(part)
    return " ".join(taken)


def name_as_written(text: str) -> str:
    """A name as read, spaces removed and a leading T (丁 as a photo misreads it) repaired."""
    value = re.sub(r"\s", "", text)
    return "丁" + value[1:] if value.startswith("T") else value


def find_person_names(row: str) -> list[NameMatch]:
    """Names standing after 姓名 / 患者 / 委托人 … labels on one row, tolerant of spacing and colons.

    Args:
        row: One row of OCR text.

    Returns:
        Names in row order; a label with nothing name-like after it yields nothing.
    """
    found: list[NameMatch] = []
    for match in _NAME_LABEL.finditer(row):
        index = next(int(k[1:]) for k, v in match.groupdict().items() if v is not None)
        role = _NAME_LABELS[index][0]
        pos = match.end()
        # separators, and a note in brackets ("委托人（签字/按印）：")
        # a middle dot there is the colon misread (姓名·尹玲燕): it separates a minority name's parts only
        gap = re.match(r"[\s:：;；.,，、|_\-·•!！．。]*(?:[（(][^）)]{0,8}[）)][\s:：;；.,，、|_\-·•!！．。]*)?", row[pos:])
        pos += gap.end() if gap else 0
        # the label's English gloss before its colon (姓名/Name：常平庆, 患者姓名 Patient Name: on bilingual reports)
        gloss = _LABEL_GLOSS.match(row, pos)
        if gloss is not None:
            pos = gloss.end()
        value_match = _NAME_VALUE.match(row, pos)
        if value_match is None:
            continue
        text = _first_word(value_match.group(0))
        stop = _NAME_STOP.search(text)
        if stop is not None:
            text = text[: stop.start()]
        elif re.match(r"\s*[:：]", row[pos + len(text):]):
            if len(text) >= 5 and text[-1] in _LABEL_LAST_CHARS:
                # five characters before the colon: more likely a name of three and the whole label, its first
                # character misread (孙波建生别： for 孙波建 性别：, alternative templates seed 7023), than a name of four
                text = text[:-2]
            elif len(text) >= 3 and text[-1] in _LABEL_LAST_CHARS:
                text = text[:-1]  # 杜怡别： of 杜怡春 性别：, the next label's first character lost with the name's last
            else:
                continue  # "床号：": the next field's label, not a name
        elif "·" not in text and "•" not in text:
            text = _name_before_the_sentence_goes_on(text)
        text = text.rstrip().rstrip("·•" + UNREAD_GLYPH)
        end = pos + len(text)
        value = name_as_written(text)
        # a minority name's parts joined by a middle dot run longer (阿依古丽·买买提)
        longest = 12 if "·" in value or "•" in value else 5
        if not 2 <= len(value) <= longest or value in _NOT_NAMES or value.startswith(_NOT_NAME_STARTS):
            continue
        if UNREAD_GLYPH in value and not _one_unread_glyph_among_three(value):
            continue
        if len(value) == 2 and value[1] in "别族":
            continue  # the next header cell misread (受检者 作别 年龄: 性别, alternative templates, seed 7009)
        found.append(NameMatch(pos, end, value, match.group(0), role, match.start()))
    if not found:
        found += _addressee(row)
    return found


# A notice or letter opens on its addressee (顾军强同志：, 王建国先生：): the person it was issued to.
_SALUTATION = re.compile(rf"^\s*(?P<name>[{_CJK}](?:\s?[{_CJK}]){{1,3}})\s*(?P<label>同\s*志|先\s*生|女\s*士)\s*[:：,，]?\s*$")


_NOT_ADDRESSEES = ("各位", "全体", "广大", "您好", "你好", "亲爱", "大家", "诸位", "各")  # 各位同志：, 全体同志


def _addressee(row: str) -> list[NameMatch]:
    """The name a row that is a letter's salutation alone (张三同志：) addresses."""
    match = _SALUTATION.match(row)
    if match is None:
        return []
    value = re.sub(r"\s", "", match.group("name"))
    if value in _NOT_NAMES or value.startswith(_NOT_NAME_STARTS) or value.startswith(_NOT_ADDRESSEES):
        return []
    return [NameMatch(match.start("name"), match.end("name"), value, match.group("label"), "patient", match.start("label"))]


# ---------------------------------------------------------------------------
# ID numbers
# ---------------------------------------------------------------------------

# Digit groups may be spaced within a row, never across rows: a stray digit on the row above
# (市1 over the number on a blurred card) must not join the number.
_ID_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[0-9]|[^\S\n](?=[0-9Xx×]))*[Xx×]?(?![0-9])")
_ID_LABEL = re.compile(r"(?:公\s*民\s*)?身\s*份\s*(?:证\s*)?(?:号\s*码|号|证)|证\s*件\s*号\s*码?|身份证明号|社会保障号码?|社保号")


@dataclass(frozen=True)
class IdMatch:
    """An 18-character ID-number-shaped string (validity not checked here).

    Attributes:
        start: Offset in the searched string.
        end: Offset just past it.
        number: 17 digits and a digit or X, after OCR repair and with spaces removed.
        labelled: Whether an ID label (身份证号, 公民身份号码 …) stands just before it.
    """

    start: int
    end: int
    number: str
    labelled: bool


def find_id_numbers(text: str) -> list[IdMatch]:
    """ID-number-shaped strings in OCR text: 18 characters, digit groups may be spaced, O read for 0.

    Args:
        text: Any string.

    Returns:
        Candidates in order; the caller validates the check digit.
    """
    norm = normalise_ocr_text(text)
    found: list[IdMatch] = []
    for match in _ID_RUN.finditer(norm):
        number = re.sub(r"\s", "", match.group(0)).replace("×", "X").replace("x", "X")
        if len(number) != 18 or not number[:17].isdigit():
            continue
        before = text[max(0, match.start() - 12):match.start()]
        labelled = _ID_LABEL.search(before) is not None
        found.append(IdMatch(match.start(), match.end(), number, labelled))
    return found


# ---------------------------------------------------------------------------
# Diagnosis
# ---------------------------------------------------------------------------

# Groups: "pathology" (病理诊断), "clinical" (诊断 / 临床诊断 …), "conclusion" (印象 / 超声提示 / 结论 …),
# "disease" (申请病种 …: what a form says was applied for).
_DX_LABELS: tuple[tuple[str, str], ...] = (
    ("pathology", r"病\s*理\s*诊\s*断|病\s*理\s*结\s*果"),
    ("conclusion", r"(?:影\s*像|超\s*声|影\s*像\s*学|镜\s*下|内\s*镜)\s*诊\s*断"),
    # 诊 read as its look-alike 珍 (珍断：), 断 as 新 or 晰 (临床诊新：, 初步诊晰：), 见 as 兄 or 贝 (诊断意兄：),
    # 意 as anything before 见 and its colon (诊断盒见：, fresh seed 9594) on a blurred photo, or 见 as anything
    # after 意 (诊断意把：, fresh seed 9654)
    ("clinical", r"(?:临\s*床|初\s*步|出\s*院|门\s*诊|入\s*院|疾\s*病|西\s*医|最\s*后|确\s*定|主\s*要|其\s*他)?"
                 r"\s*[诊珍]\s*[断新晰]"
                 r"(?:\s*(?:意\s*[见兄贝]|[\u4e00-\u9fff]\s*见(?=\s*[:：])|意\s*[\u4e00-\u9fff](?=\s*[:：])|结\s*果|结\s*论|名\s*称|为))?(?!\s*(?:证|书|医|日|时|医院|科|单位|机构|依据|报告|标准|编码|代码|"
                 r"类|号|地|费|人))"),
    ("clinical", r"确\s*诊\s*(?:疾\s*病|为)"),
    # a bilingual form's English gloss, its Chinese label lost (Diogosis: for 诊断 Diagnosis: on a phone photo,
    # alternative templates 2, seed 7119), letters dropped or misread; only before its colon
    ("clinical", r"(?<![A-Za-z])D[il1][ao]?g?n?[o0]s[il1]s(?=\s*[:：])"),
    # 诊 misread as an unlike character after a prefix, before its colon (疾病沙断：, fresh seed 9590)
    ("clinical", r"(?:临\s*床|初\s*步|出\s*院|门\s*诊|入\s*院|疾\s*病|西\s*医|最\s*后|确\s*定|主\s*要)\s*[\u4e00-\u9fff]\s*断"
                 r"(?=\s*[:：])"),
    # 诊断意见 with its 诊 lost (断意见：), where no other character stands before it
    ("clinical", r"(?<![\u4e00-\u9fff])断\s*意\s*见"),
    # 诊断意见 with its 诊 misread as any character and 见 as 兄 / 贝, at its row's start before its colon
    # (沙断意贝：原发性高血压2级, fresh seed 9608)
    # (not 判断意见 nor another word ending in 断)
    ("clinical", r"^\s*(?![判间不中决推果])[\u4e00-\u9fff]\s*断\s*意\s*[见兄贝](?=\s*[:：])"),
    # 临床诊断 with 诊 or 断 lost (临床断 on a blurred photo), before its colon, a gap or its row's end
    ("clinical", r"临\s*床\s*[诊断](?=\s|[:：]|$)"),
    ("conclusion", r"超\s*声\s*提\s*示|检\s*查\s*提\s*示|诊\s*断\s*提\s*示|检\s*查\s*结\s*论|检\s*查\s*意\s*见|"
                   r"影\s*像\s*结\s*论|报\s*告\s*结\s*论|结\s*论|印\s*象|意\s*见\s*[:：](?=.)"),
    ("disease", r"(?:申\s*请|申\s*报|认\s*定)\s*病\s*种(?:\s*名\s*称)?|病\s*种\s*名\s*称|疾\s*病\s*名\s*称"),
)
_DX_LABEL = re.compile("|".join(f"(?P<d{i}>{p})" for i, (_, p) in enumerate(_DX_LABELS)))
# A row that starts another field: stop the diagnosis there.
# 【处理】 heads a record's next section, its closing bracket often read ] (【门诊诊断]).
_FIELD_START = re.compile(rf"^\s*(?:[【\[][{_CJK}]{{1,8}}[】\]]|[{_CJK}]{{1,8}}\s*[:：]|"
                          r"注\s*[:：.]|备\s*注|建\s*议|医\s*[师生]|报\s*告|审\s*核|检\s*查|"
                          r"处\s*理|治\s*疗|签\s*[名字章]|盖\s*章|日\s*期|时\s*间|[Rr]p|此\s*报告|本\s*报告|以下空白)")
# The next field on the same row: "  标本类型：" after a gap, or a known header label even without one.
_NAMED_FIELD_START = re.compile(r"^\s*(?:注\s*[:：.]|备\s*注|建\s*议|医\s*[师生]|报\s*告|审\s*核|检\s*查\s*(?:医|日|时|者)|"
                                r"处\s*理|治\s*疗|签\s*[名字章]|盖\s*章|日\s*期|时\s*间|[Rr]p|此\s*报告|本\s*报告|以下空白)")
_INLINE_NEXT_FIELD = re.compile(
    # not before a bracket: 慢性肾衰竭:(CKD5期), a bracket's edge read as a colon, is the diagnosis (fresh seed 9604)
    rf"\s[{_CJK}]{{2,6}}\s*(?:[（(][A-Za-z .]*[)）])?\s*[:：](?!\s*[（(])"
    r"|(?:(?:采\s*样|采\s*集|接\s*收|收\s*到|报\s*告|审\s*核|检\s*[查验测]|送\s*检|打\s*印|申\s*请|就\s*诊|开\s*具)"
    r"\s*(?:日\s*期|时\s*间)|标\s*本\s*(?:种\s*类|类\s*型|编\s*号|号)?|样\s*本\s*(?:类\s*型|编\s*号|号)|条\s*码\s*号|"
    r"申\s*请\s*医\s*[生师]|送\s*检\s*医\s*[生师]|科\s*别|科\s*室|病?\s*床\s*号|年\s*龄|性\s*别|姓\s*名|备\s*注|"
    r"病\s*历\s*号|门\s*诊\s*号|住\s*院\s*号|病\s*案\s*号|电\s*话|医\s*[师生]\s*签\s*[名字]|(?<![出诊])日\s*期)"
    r"\s*(?:[（(][A-Za-z .]*[)）])?\s*[:：]"
)
# What may stand between a label and its text: punctuation and an English gloss ("临床诊断（Diag）：").
# After the label: its English gloss, in brackets or before the colon (诊断意见 Diagnosis: on a bilingual
# certificate, alternative templates seed 7110), then the separator.
_LABEL_TAIL = re.compile(r"\s*(?:[（(][A-Za-z .]*[)）]|[A-Za-z][A-Za-z .]*(?=\s*(?:[:：]|$)))?"
                         r"\s*(?P<sep>[】\]]\s*[:：]?|[:：;；.、]|为|\s|$)?")
# Words that make a label-looking word part of a title or another field ("超声诊断报告单", "诊断医师").
_NOT_AFTER_LABEL = re.compile(r"报\s*告|证\s*明|书|单|中\s*心|科|室|医|日\s*期|时\s*间|机\s*构|依\s*据|标\s*准|编\s*码|代\s*码|"
                              r"类|号|费|人|项\s*目|方\s*法|结\s*果|记\s*录")
_MAX_DX_ROWS = 6
_MAX_DX_CHARS = 240
_MAX_CONTINUATION_PIECES = 2


@dataclass(frozen=True)
class DiagnosisMatch:
    """A diagnosis text after its label, possibly over several rows.

    Attributes:
        start: Offset of the text in the page string.
        end: Offset just past it.
        label: The label as read.
        group: "pathology", "clinical", "conclusion" or "disease".
        label_start: Offset of the label.
        item_starts: Offsets of continuation rows that start a new item rather than carry on a
            wrapped sentence (short rows one under another: one finding per row).
        skipped: ``(start, end)`` offsets within the text that are not part of it: the other
            column's words on the rows below a label heading a right-hand column.
    """

    start: int
    end: int
    label: str
    group: str
    label_start: int
    item_starts: tuple[int, ...] = ()
    skipped: tuple[tuple[int, int], ...] = ()


def _value_start(row: str, match: re.Match[str]) -> int | None:
    """Where the diagnosis text starts after a label, or None when the label is not one here.

    A label must be followed by a colon, a gap, an English gloss or the end of the row, so
    ``超声诊断报告单`` and ``临床实验诊断中心`` are not labels. A long label that starts its row
    may lack the colon OCR dropped (``临床诊断高血压``).
    """
    label = re.sub(r"\s", "", match.group(0))
    before = row[: match.start()]
    if label.startswith(("印象", "结论", "意见")) and before.strip() and not before.endswith((" ", "：", ":")):
        return None  # "印象" inside a sentence, "医师意见"
    if label == "诊断" and re.search(r"(?:门诊|出院|临床|初步|入院|疾病|西医|病理|影像|超声)\s*$", before):
        return None  # the longer label was already taken
    tail = _LABEL_TAIL.match(row, match.end())
    assert tail is not None  # every part is optional
    if tail.group("sep") is not None or tail.end() >= len(row):
        return tail.end()
    if re.search("[诊珍断]", label) and tail.end() > match.end() and not row[match.end():tail.end()].strip():
        return tail.end()  # a diagnosis label, a gap, the diagnosis (临床断 阿尔茨海默病…)
    if label.endswith("为"):
        return tail.end()  # a sentence runs on into the diagnosis (经检查确诊为1.反流性食管炎；…)
    at_row_start = not before.strip() or before.endswith(" ")
    if at_row_start and len(label) >= 4 and not _NOT_AFTER_LABEL.match(row, tail.end()):
        return tail.end()
    return None


def _right_edge(page_text: PageText) -> float:
    """Where text lines end on the right of this page (95th percentile of right edges)."""
    edges = sorted(line.bbox[0] + line.bbox[2] for line in page_text.page.lines)
    if not edges:
        return 0.0
    return float(edges[min(len(edges) - 1, int(0.95 * len(edges)))])


def _row_left(page_text: PageText, row: Row) -> int:
    return min((page_text.page.lines[i].bbox[0] for i in row.line_indices), default=0)


def _row_pieces(page_text: PageText, row: Row, line_height: float) -> int:
    """How many separate pieces of text a row holds: boxes closer than a line height apart are one
    piece (a diagnosis and its stage and code read as three touching boxes); table columns are not."""
    return _pieces(sorted(page_text.page.lines[i].bbox for i in row.line_indices), line_height)


def _pieces(boxes: Sequence[Sequence[int]], line_height: float) -> int:
    """How many pieces boxes sorted left to right make, boxes closer than a line height apart being one."""
    pieces, right = 0, None
    for x, _, w, _ in boxes:
        if right is None or x - right > line_height:
            pieces += 1
        right = max(right or 0, x + w)
    return pieces


_COLUMN_GAP = 6.0  # line heights of text left of a label on its row that make the label a column's head
# How far left of a label alone on its row its value may start, in line heights: beside another column,
# about where the label does; at its row's start, further (a centred header cell over left-aligned text)
_BESIDE_COLUMN_SLACK = 2.0
_ALONE_COLUMN_SLACK = 4.0


def _row_part(page_text: PageText, row: Row, column_x: float | None,
              line_height: float) -> tuple[int | None, int, int]:
    """Where a row's text starts, its left edge and how many pieces it holds: the whole row's, or with
    ``column_x`` only its boxes starting there or right of it (start None when it has none)."""
    if column_x is None:
        return row.start, _row_left(page_text, row), _row_pieces(page_text, row, line_height)
    kept = [p for p in page_text.pieces_in(row.start, row.end) if page_text.page.lines[p.line_index].bbox[0] >= column_x]
    if not kept:
        return None, 0, 0
    boxes = sorted(page_text.page.lines[p.line_index].bbox for p in kept)
    return min(p.start for p in kept), boxes[0][0], _pieces(boxes, line_height)


def _row_right(page_text: PageText, row: Row) -> int:
    return max((page_text.page.lines[i].bbox[0] + page_text.page.lines[i].bbox[2] for i in row.line_indices),
               default=0)


@dataclass(frozen=True)
class _Label:
    """A diagnosis label found on a row: where it and its value start (row offsets), its group, and for a
    label stacked down a narrow header cell, the right edge of that cell (the value's column starts there)."""

    start: int
    end: int
    text: str
    group: str
    value_start: int
    cell_right: int | None = None


# 诊断 written down a narrow header cell, one character above the other (a table's left column: 诊 / 断), each
# its own box or 诊 joined to the value beside it (诊一 for 诊 and 一、冠心病 PCI术后); 断 may come back as its
# look-alike 新 or 晰 (alternative templates 2, seed 7119: the diagnosis went unread)
_STACKED_FIRST = re.compile(rf"\s*[诊珍](?=\s|[:：]|$|[一二三四五六七八九十\d{_CIRCLED}（(])")  # not 诊所
_STACKED_SECOND = re.compile(r"\s*[断新晰]\s*[:：]?\s*")
_STACKED_GAP = 1.8  # line heights between the centres of the two characters
_STACKED_ALIGN = 0.8  # line heights their left edges may differ


def _stacked_label(page_text: PageText, row_index: int, line_height: float) -> _Label | None:
    """诊断 stacked down a header cell, its 诊 heading ``row_index``'s leftmost box and 断 alone just below."""
    row = page_text.rows[row_index]
    lines = page_text.page.lines
    first = min(row.line_indices, key=lambda i: lines[i].bbox[0], default=None)
    if first is None or not _STACKED_FIRST.match(lines[first].text):
        return None
    x, y, _, h = lines[first].bbox
    for below in page_text.rows[row_index + 1:]:
        if below.y_centre - row.y_centre > _STACKED_GAP * line_height:
            break
        for index in below.line_indices:
            bx, by, bw, _ = lines[index].bbox
            if _STACKED_SECOND.fullmatch(lines[index].text) and abs(bx - x) <= _STACKED_ALIGN * line_height and by > y:
                piece = next(p for p in page_text.pieces if p.line_index == first)
                label_start = piece.start - row.start + lines[first].text.index(lines[first].text.strip()[0])
                value = _LABEL_TAIL.match(page_text.text[row.start:row.end], label_start + 1)
                assert value is not None  # every part is optional
                return _Label(label_start, label_start + 1, "诊断", "clinical", value.end(), max(bx + bw, x + round(h)))
    return None


def _labels_on_row(page_text: PageText, row_index: int, line_height: float) -> list[_Label]:
    row = page_text.rows[row_index]
    row_text = page_text.text[row.start:row.end]
    labels = []
    for match in _DX_LABEL.finditer(row_text):
        value_start = _value_start(row_text, match)
        if any(label.start <= match.start() < label.value_start for label in labels):
            continue  # the gloss after its label (诊断 Diagnosis:)
        if value_start is not None:
            index = next(int(k[1:]) for k, v in match.groupdict().items() if v is not None)
            labels.append(_Label(match.start(), match.end(), match.group(0), _DX_LABELS[index][0], value_start))
    stacked = _stacked_label(page_text, row_index, line_height)
    if stacked is not None and not any(label.start <= stacked.start < label.end for label in labels):
        labels.insert(0, stacked)
    return labels


def find_diagnoses(page_text: PageText) -> list[DiagnosisMatch]:
    """Diagnosis texts after 诊断 / 临床诊断 / 印象 / 超声提示 / 病理诊断 … labels on one page.

    The text runs to the end of the label's row, or up to the next field label on it. It
    goes on over the rows below while they carry on the same text: at most two separate pieces
    (not a table row; touching boxes are one piece), no field label at their start, close below,
    and either a numbered item, the previous row running to the right margin, or aligned with
    the text's first row. A label alone on its row takes the rows below it.

    Args:
        page_text: The page string with its rows.
    """
    found: list[DiagnosisMatch] = []
    text = page_text.text
    line_height = page_text.median_line_height
    right_edge = _right_edge(page_text)
    for row_index, row in enumerate(page_text.rows):
        row_text = text[row.start:row.end]
        for label in _labels_on_row(page_text, row_index, line_height):
            value_start = label.value_start
            value_end = len(row_text)
            inline = _INLINE_NEXT_FIELD.search(row_text, value_start)
            if inline is not None:
                value_end = inline.start()
            start, end = row.start + value_start, row.start + value_end
            has_value = bool(row_text[value_start:value_end].strip())
            anchor_x = [x for x in (page_text.bbox_of(start, end) or [None],) if x is not None]
            anchors = [_row_left(page_text, row)] + ([anchor_x[0][0]] if has_value and anchor_x else [])
            # A label with no value on its row heads its value's column: the rows below are read in that column
            # only, from about where the label starts (alternative templates 2, seed 7117: a prescription's drug
            # 奥氮平片5mg×14片/盒×4 beside 腰椎退行性变 under 诊断：; a seal's words 用中医国 over a report's sidebar
            # below 检查结论). Beside another column the value starts where the label does; at its row's start it
            # may start further left.
            label_box = page_text.bbox_of(row.start + label.start, row.start + label.end)
            column_x = None
            if label.cell_right is not None:
                column_x = label.cell_right  # right of the header cell the label is stacked down
            elif not has_value and label_box is not None:
                beside = label_box[0] - _row_left(page_text, row) > _COLUMN_GAP * line_height
                column_x = label_box[0] - (_BESIDE_COLUMN_SLACK if beside else _ALONE_COLUMN_SLACK) * line_height
            previous = row
            previous_wraps = has_value and _row_right(page_text, row) >= 0.85 * right_edge
            rows_taken = 1 if has_value else 0
            item_starts: list[int] = []
            skipped: list[tuple[int, int]] = []
            for next_row in page_text.rows[row_index + 1:]:
                if rows_taken >= _MAX_DX_ROWS or end - start >= _MAX_DX_CHARS:
                    break
                row_start, left, pieces = _row_part(page_text, next_row, column_x, line_height)
                if row_start is None:
                    # nothing in the label's column: a row of the other column between two of its items
                    # (联系电话 between 一、脂肪肝 and 二、颈椎病 on a two-column record, alternative templates 2, seed 7117)
                    if next_row.y_centre - previous.y_centre > _CONTINUATION_GAP * max(line_height, previous.height):
                        break
                    if has_value:
                        skipped.append((next_row.start, next_row.end))
                    continue
                next_text = text[row_start:next_row.end]
                # a label alone on its row may stand a blank line above its value (a text-layer PDF's spacing);
                # so may the next item of a numbered list (1. 高尿酸血症 / 2. 慢性阻塞性肺疾病 two lines apart:
                # alternative templates, seed 7006, only item 1 read, a false DIAGNOSIS_MISMATCH)
                spaced = not has_value or _next_item(text[previous.start:previous.end], next_text)
                # a sentence wrapped at the margin mid-word goes on however wide the leading (诊断：血友 / 病A（中型）。
                # two lines apart in a text-layer PDF's prose: alternative templates, seed 7015)
                previous_text = text[previous.start:previous.end]
                mid_sentence = has_value and previous_wraps and len(previous_text.strip()) >= _PROSE_ROW_CHARS \
                    and not _SENTENCE_END.search(previous_text)
                reach = _FIRST_VALUE_GAP if spaced or mid_sentence else _CONTINUATION_GAP
                if next_row.y_centre - previous.y_centre > reach * max(line_height, previous.height):
                    break
                # a wrapped sentence may bring "度狭窄：" to the start of the next row: only named fields stop it
                field_start = _NAMED_FIELD_START if previous_wraps else _FIELD_START
                if (not next_text.strip() or pieces > _MAX_CONTINUATION_PIECES
                        or field_start.match(next_text) or _DX_LABEL.match(next_text.strip())
                        or (_cjk_share(next_text) < 0.3 and not _WORDS_FIRST.match(next_text))):
                    break
                aligned = any(abs(left - x) <= 2 * line_height for x in anchors)
                numbered = _NUMBERED.match(next_text) is not None
                if has_value and not (numbered or previous_wraps or aligned):
                    break
                if not has_value:
                    start = row_start
                    has_value = True
                    anchors.append(left)
                elif not previous_wraps:
                    item_starts.append(row_start)
                if row_start > next_row.start and start < next_row.start:
                    skipped.append((next_row.start, row_start))  # the other column's words on this row
                end = next_row.end
                cut = _INLINE_NEXT_FIELD.search(next_text)
                if mid_sentence and (stop := _SENTENCE_STOP.search(next_text)) is not None \
                        and (cut is None or stop.start() < cut.start()):
                    cut = stop  # the wrapped sentence ends there; what follows is advice, not diagnosis
                if cut is not None:
                    end = row_start + cut.start()
                previous_wraps = _row_right(page_text, next_row) >= 0.85 * right_edge
                previous = next_row
                rows_taken += 1
                if cut is not None:
                    break
            label_right = label_box[0] + label_box[2] if label_box is not None else None
            if not has_value and row_index > 0:
                # a label centred in a tall cell whose one row of value stands at the cell's top, above the
                # label's row (乙状结肠癌术后 over 诊断 Diagnosis: alternative templates 3, seed 7304)
                above_row = page_text.rows[row_index - 1]
                if row.y_centre - above_row.y_centre <= _CONTINUATION_GAP * max(line_height, above_row.height) \
                        and _unnumbered_first_item(page_text, above_row, label_right) \
                        and not _DX_LABEL.search(text[above_row.start:above_row.end]) \
                        and not _carries_on_a_field(page_text, row_index - 1, line_height, label_right):
                    start, end, has_value = above_row.start, above_row.end, True
            if has_value and end > start:
                above = _items_above(page_text, row_index, start, line_height, label_right)
                if above is not None:
                    item_starts.insert(0, start)
                    skipped.insert(0, (row.start + label.start, row.start + value_start))  # the label, amid its list
                    start = above
                found.append(DiagnosisMatch(start, end, label.text, label.group, row.start + label.start,
                                            tuple(item_starts), tuple(skipped)))
    return found


# an item's number: 2. / 2、 or in brackets, （2） (a text-layer certificate's list, alternative templates seed 7019)
# an item's dot read as a comma (3,有肺腺癌 on a phone photo, alternative templates seed 7022), not before a digit
# A bracketed number may come back circled (（②） for （2） on a phone photo, alternative templates seed 7022).
# circled alone (①甲状腺功能亢进症) or a Chinese numeral before its 、 (二、睡眠呼吸暂停综合征), as doctors number them too
# (alternative templates 3, seed 7301: the label centred beside the list, its first item above the label's row)
_ITEM_NUMBER = re.compile(rf"\s*(?:(\d{{1,2}})\s*(?:[.、．]|[,，](?!\d))|[（(]\s*(\d{{1,2}}|[{_CIRCLED}])\s*[)）]"
                          rf"|([{_CIRCLED}])|([一二三四五六七八九十])\s*[、．])")
_CHINESE_ITEM = "一二三四五六七八九十"


def _item_number(text: str, at: int = 0) -> int | None:
    """The number of the list item ``text`` starts at ``at``, or None."""
    match = _ITEM_NUMBER.match(text, at)
    if match is None:
        return None
    number = next(group for group in match.groups() if group is not None)
    if number in _CIRCLED:
        return _CIRCLED.index(number) + 1
    return _CHINESE_ITEM.index(number) + 1 if number in _CHINESE_ITEM else int(number)


def _next_item(row: str, next_row: str) -> bool:
    """Whether ``next_row`` starts the item numbered after the one ``row`` starts (1. then 2.)."""
    this, following = _item_number(row), _item_number(next_row)
    return this is not None and following is not None and following == this + 1


def _items_above(page_text: PageText, row_index: int, start: int, line_height: float,
                 label_right: int | None = None) -> int | None:
    """Where a numbered diagnosis list really starts when its first items stand above the label's row: a
    table's label cell centred beside the list (诊断 level with 2.高尿酸血症, 1.帕金森病 a row above it:
    alternative templates, seed 7004, a false DIAGNOSIS_MISMATCH). The rows above must carry the numbers
    before, one by one, aligned with the value and close above it; the first item's number may have gone
    unread (慢性再生障碍性贫血 over 诊断 二、睡眠呼吸暂停综合征: alternative templates 3, seed 7301) when its row
    is words wholly right of the label (``label_right``), not another field's, starting where the words of
    the numbered item start, right of its number (a lost number leaves its place blank)."""
    text = page_text.text
    number = _item_number(text, start)
    box = page_text.bbox_of(start, start + 1)
    if number is None or number < 2 or box is None:
        return None
    numbered = _ITEM_NUMBER.match(text, start)
    assert numbered is not None
    words_at = len(text) - len(text[numbered.end():].lstrip())
    words_box = page_text.bbox_of(words_at, words_at + 1) or box
    wanted, left, top = number - 1, box[0], page_text.rows[row_index]
    first = None
    for above in reversed(page_text.rows[:row_index]):
        if wanted < 1 or top.y_centre - above.y_centre > _CONTINUATION_GAP * max(line_height, above.height):
            break
        if abs(_row_left(page_text, above) - left) > 2 * line_height:
            break
        found = _item_number(text, above.start)
        if found is None and wanted == 1 and _unnumbered_first_item(page_text, above, label_right) \
                and _row_left(page_text, above) - left > line_height / 2 \
                and abs(_row_left(page_text, above) - words_box[0]) <= line_height:
            first, wanted = above.start, 0
            break
        if found != wanted:
            break
        first, wanted, top = above.start, wanted - 1, above
    return first if wanted == 0 else None


def _carries_on_a_field(page_text: PageText, index: int, line_height: float, label_right: int | None) -> bool:
    """Whether row ``index`` may be the wrapped end of the field above it (an address's second line): that row
    stands close above and starts with a label left of ``label_right``."""
    if index == 0 or label_right is None:
        return False
    row, previous = page_text.rows[index], page_text.rows[index - 1]
    return row.y_centre - previous.y_centre <= _CONTINUATION_GAP * max(line_height, previous.height) \
        and _row_left(page_text, previous) < label_right


def _unnumbered_first_item(page_text: PageText, row: Row, label_right: int | None) -> bool:
    """Whether ``row`` reads as a diagnosis row with no number: words first (codes may follow), in the value's
    column only."""
    row_text = page_text.text[row.start:row.end]
    return (label_right is not None and _row_left(page_text, row) > label_right
            and _FIELD_START.match(row_text) is None and _WORDS_FIRST.match(row_text) is not None)


_CONTINUATION_GAP = 1.9  # line heights between the centres of two rows of one diagnosis
_PROSE_ROW_CHARS = 16  # a row of prose, not a list item or a short value that happens to end the page's widest rows
_SENTENCE_END = re.compile(r"[。；;!！?？]\s*$")
_SENTENCE_STOP = re.compile(r"[。；;]")
_FIRST_VALUE_GAP = 2.6  # … between a label alone on its row and the first row of its value
_NUMBERED = re.compile(rf"\s*(?:\d{{1,2}}\s*[.、．)）]|[（(](?:\d|[一二三四五六七八九十{_CIRCLED}])[)）]"
                       rf"|[一二三四五六七八九十]\s*[、.]|[{_CIRCLED}])")


# A row that opens with words is text even when codes fill the rest of it (右肺腺癌(cT2N1M0 IIB期)(C34)).
# also after its item number (3.右肺腺癌（cT2NIM0ⅡB期）, alternative templates seed 7018: the list stopped before it,
# a false DIAGNOSIS_MISMATCH on its first two items)
_WORDS_FIRST = re.compile(rf"(?:{_ITEM_NUMBER.pattern})?\s*[\u4e00-\u9fff]{{2,}}")  # after its number, if any


def _cjk_share(text: str) -> float:
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 0.0
    return sum(1 for ch in chars if "\u4e00" <= ch <= "\u9fff") / len(chars)


def diagnosis_value(raw: str, item_starts: tuple[int, ...] = (), skipped: tuple[tuple[int, int], ...] = ()) -> str:
    """The diagnosis as one line: rows joined, box gaps and repeated spaces removed around CJK text.

    Args:
        raw: The diagnosis as read, rows separated by ``\n``.
        item_starts: Offsets in ``raw`` of rows that start a new item; "；" is put before each
            unless punctuation already separates them.
        skipped: ``(start, end)`` offsets in ``raw`` of words that are not the diagnosis's (another column's).
    """
    for start, end in skipped:
        raw = raw[:start] + " " * (end - start) + raw[end:]  # blanked, so the offsets stay
    parts = []
    previous = 0
    for offset in sorted(o for o in item_starts if 0 < o <= len(raw)):
        parts.append(raw[previous:offset])
        previous = offset
    parts.append(raw[previous:])
    text = ""
    for part in parts:
        if text and text.rstrip("\n ")[-1:] not in "，。；;,、：:" and part.lstrip()[:1] not in "，。；;,、":
            text = text.rstrip("\n ") + "；"
        text += part
    text = text.replace("\n", "")
    text = re.sub(rf"(?<=[{_CJK}，。；：、（）()])\s+|\s+(?=[{_CJK}，。；：、（）()])", "", text)
    return re.sub(r"\s{2,}", " ", text).strip(" :：;；，,")


# ---------------------------------------------------------------------------
# Stage, grade, type, complication, malignancy
# ---------------------------------------------------------------------------

# PP-OCR reads the Roman numeral Ⅲ as 川 or 山 and Ⅱ as ‖ or 11 on phone photos.
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5,
          "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "0": 0, "川": 3, "山": 3, "‖": 2}
# A run of Roman-numeral-like characters ("IⅢI" or "I川I" is how a serif Ⅲ often comes back), or one numeral.
_NUMERAL = r"(?:[IⅠⅡⅢⅣⅤVl|川山‖]{1,5}|[0-5]|一|二|三|四|五)"
_STAGE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tnm", re.compile(r"(?<![A-Za-z])[cpyr]?T[0-4OoXxis][a-d]?\s*N[0-3OoXx][a-c]?\s*M[01OoXx][a-c]?")),
    ("grade", re.compile(rf"(?<![0-9.A-Za-z])(?P<n>{_NUMERAL})\s*[级线]")),  # PP-OCR reads 级 as 线 on photos
    ("stage", re.compile(rf"(?<![0-9.A-Za-z])(?P<n>{_NUMERAL})\s*(?P<sub>[ABCabc])?\s*期")),
    ("stage", re.compile(r"(?:早|中|晚|中晚|终末|代偿|失代偿)期")),
    ("type", re.compile(r"(?<![0-9.A-Za-z])(?P<n>[12]|Ⅰ|Ⅱ|II|I|一|二)\s*型")),
    ("complication", re.compile(rf"合\s*并[^，。；;,\n]{{1,24}}|伴(?:有)?[^，。；;,、\s]{{1,20}}(?:病变|并发症|病|症|损害)|"
                                rf"[{_CJK}]{{0,12}}并发症|[{_CJK}]?尿病(?:性)?(?:肾病|视网膜病变|周围神经病变|神经病变|足|周围血管病变|"
                                r"酮症酸中毒|肾脏病)")),
    ("malignancy", re.compile(rf"(?:(?:低|中|高)分化)?[{_CJK}]{{0,6}}?(?:腺癌|鳞癌|鳞状细胞癌|小细胞癌|大细胞癌|导管癌|"
                              rf"小叶癌|浸润性癌|尿路上皮癌|肝细胞癌|癌(?!胚|抗原|基因|症筛查)|肉瘤|淋巴瘤|白血病|骨髓瘤|"
                              r"黑色素瘤|母细胞瘤)")),
    ("risk", re.compile(r"极高危|很高危|高危|中危|低危")),
)
_NEGATION = re.compile(r"(?:未见|排除|除外|否认|无|非|待排|不考虑|未发现|不伴|未伴|未合并|不合并)[^，。；;,\n]{0,4}$")


@dataclass(frozen=True)
class StageMatch:
    """A stage, grade, type, complication or malignancy statement.

    Attributes:
        start: Offset in the searched string.
        end: Offset just past it.
        value: Normalised wording ("3级", "2期", "T2N0M0", "2型", "合并糖尿病肾病", "腺癌").
        kind: "grade", "stage", "tnm", "type", "complication", "malignancy" or "risk".
    """

    start: int
    end: int
    value: str
    kind: str


def _numeral(text: str) -> int | None:
    """The number a grade / stage numeral stands for; a Unicode Roman numeral (or 川, ‖) in a noisy run wins."""
    if text.isdigit():
        return int(text)
    if text in _ROMAN:
        return _ROMAN[text]
    unicode_romans = [_ROMAN[ch] for ch in text if ch in "ⅠⅡⅢⅣⅤ川山‖"]  # 川, 山 / ‖: a Ⅲ / Ⅱ misread
    if unicode_romans:
        return max(unicode_romans)
    ascii_roman = text.replace("l", "I").replace("|", "I")
    if ascii_roman in _ROMAN:
        return _ROMAN[ascii_roman]
    if set(ascii_roman) == {"I"} and len(ascii_roman) <= 4:
        return len(ascii_roman)
    return None


def is_negated(text: str, start: int) -> bool:
    """Whether the mention at ``start`` is negated just before (未见 / 排除 / 无 …)."""
    return _NEGATION.search(text[max(0, start - 10):start]) is not None


# Before a disease family's word inside a longer name 非 is histology, not negation (非小细胞肺癌,
# 鼻咽未分化型非角化性癌, 非霍奇金淋巴瘤): only the words that deny a finding count there.
_FAMILY_NEGATION = re.compile(r"(?:未见|排除|除外|否认|无|待排|不考虑|未发现|不伴|未伴|未合并|不合并)[^，。；;,\n]{0,4}$")
# A stage or complication statement denied just before it (不伴有并发症, 无并发症, 未见并发症), inside a
# match that took the denial in (型糖尿病不伴有并发症), or overlapping it (未合并 before the criterion's 合并):
# the denial within six characters of the statement's end with no gap between, so the denial of one
# finding does not reach the next (无酮症 伴糖尿病肾病).
_DENIED = re.compile(r"(?:未见|未发现|未出现|未发生|不伴|未伴|未合并|不合并|否认|排除|除外|没有|无)有?"
                     r"(?=[^，。；;,、\s]{0,6}$)")


def is_family_match_negated(text: str, start: int, end: int) -> bool:
    """Whether a disease family's match ``text[start:end]`` is negated: before the match, or just
    before the family's word that ends it (癌 of 未见癌细胞, where the match's lazy prefix took 未见)."""
    word_at = end - 1
    return is_negated(text, start) or _FAMILY_NEGATION.search(text[max(0, word_at - 10):word_at]) is not None


# A diagnosis a doctor only suspects (疑似肺癌, 考虑肺癌, 肺癌可能, 肺癌？, 冠心病待查): the word just before the
# disease's name, with no separator between, or right after it.
_SUSPECTED_BEFORE = re.compile(r"(?:疑似|疑为|可疑|考虑为?|拟诊|待排|待查)[^，。；;,、\s]{0,4}$")
_SUSPECTED_START = re.compile(r"(?:疑似|疑为|可疑|考虑为?|拟诊)")
_SUSPECTED_AFTER = re.compile(r"\s*(?:[(（]\s*)?(?:可能|[?？]|待排|待查|待除外|待确诊|待证实|待病理|不除外|可疑)")


def is_suspected(text: str, start: int, end: int) -> bool:
    """Whether the disease named at ``text[start:end]`` is only suspected, not diagnosed."""
    return (_SUSPECTED_BEFORE.search(text[max(0, start - 8):start]) is not None
            or _SUSPECTED_START.match(text, start, end) is not None  # a family's match took the word in (疑似肺癌)
            or _SUSPECTED_AFTER.match(text, end) is not None)


# A disease of the catalog is one form of an illness; the same words with the contrary qualifier are
# another illness, however close the spelling (急性乙型病毒性肝炎 is one edit from 慢性…, 甲状腺功能减退症
# two from …亢进症; 盘状红斑狼疮 holds the synonym 红斑狼疮 but is no systemic lupus).
_CONTRARY_QUALIFIERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("慢性", ("急性", "亚急性")),
    ("亢进", ("减退", "低下")),
    ("恶性", ("良性",)),
    ("系统性", ("盘状", "皮肤型", "皮肤", "药物性", "新生儿")),
    ("后遗症", ("急性",)),  # 急性脑卒中 is the stroke itself, not 脑卒中后遗症 (its synonym 脑卒中)
)


# Words that make a disease's name another condition, not the chronic disease: gestational (妊娠期糖尿病,
# 妊娠期高血压), old and healed (陈旧性肺结核, 肺结核（已钙化）), subclinical (亚临床甲亢), another
# anaemia (纯红细胞再生障碍性贫血), before the disease (糖尿病前期), cured (甲亢（已治愈）), only like it
# (癫痫样放电 on an EEG, 精神分裂样障碍), a carrier (血友病携带者), a relative's (糖尿病家族史), a lab test
# (狼疮抗凝物), a syndrome beyond it (帕金森叠加综合征).
_ANOTHER_CONDITION_BEFORE = re.compile(r"(?:妊娠期?|孕期|陈旧性|亚临床|纯红细胞)$")
_ANOTHER_CONDITION_AFTER = re.compile(r"[症病]?\s*(?:前期|[（(]?\s*已?(?:治愈|钙化)|样|(?:基因|病毒)?携带|家族史|个人史|抗凝"
                                     r"|加?综合征)")
# Pressure raised elsewhere than in the arteries at large is another illness: 肺动脉高压 (pulmonary
# hypertension, 高压3级 one edit from the synonym 高血压3级), 门静脉高压, 颅内高压, 眼高压, 肺高血压.
_ANOTHER_SITE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("高血压", re.compile(r"(?:动脉|静脉|门脉|颅内|眼|肺|腹腔|腹内)$")),
)


def qualified_otherwise(name: str, text: str, start: int, end: int) -> bool:
    """Whether the disease whose catalog name is ``name``, matched at ``text[start:end]`` (by that name, a
    synonym without its qualifier such as 心力衰竭, or a near spelling), is qualified there as its
    contrary: a contrary word inside the match or in the six characters before it within the same item,
    where the catalog name's own qualifier is not read."""
    before = re.split(r"[\s，。；;,、：:（()）]", text[max(0, start - 6):start])[-1]  # within the mention's own item
    if _ANOTHER_CONDITION_BEFORE.search(before) or _ANOTHER_CONDITION_AFTER.match(text, end):
        return True
    if any(own in name and site.search(before) for own, site in _ANOTHER_SITE):
        return True
    stretch = before + text[start:end]
    return any(own in name and own not in text[start:end] and any(word in stretch for word in contrary)
               for own, contrary in _CONTRARY_QUALIFIERS)


# A complication whose cause is written as another than the disease: 高血压性视网膜病变 beside 2型糖尿病
# is no diabetic retinopathy (the catalog takes 视网膜病变 alone, as OCR loses 糖尿病 before it).
_CAUSE = r"(?:高血压病?|动脉硬化|放射|药物|中毒|酒精|外伤|早产儿|缺血|静脉阻塞|静脉栓塞)性"
_CAUSED_BEFORE = re.compile(_CAUSE + r"$")
_CAUSED_AFTER = re.compile(r"\s*[(（]\s*" + _CAUSE)


_HISTORY_AFTER = re.compile(r"\s*(?:家族史|个人史)")


def is_history_of(text: str, end: int) -> bool:
    """Whether the disease named just before ``text[end:]`` is a relative's or a past one (肺癌家族史,
    恶性肿瘤个人史)."""
    return _HISTORY_AFTER.match(text, end) is not None


def is_caused_otherwise(text: str, start: int, end: int) -> bool:
    """Whether the statement ``text[start:end]`` is ascribed to another cause (高血压性视网膜病变,
    视网膜病变（高血压性）)."""
    return _CAUSED_BEFORE.search(text[max(0, start - 8):start]) is not None or _CAUSED_AFTER.match(text, end) is not None


def is_statement_denied(text: str, start: int, end: int) -> bool:
    """Whether a stage or complication statement ``text[start:end]`` is denied: 2型糖尿病不伴有并发症 (the
    ICD-10 name of E11.9), 2型糖尿病（无并发症）, 未合并肾病. 非 does not count (非角化性癌 is histology)."""
    return _DENIED.search(text[max(0, start - 4):end]) is not None


def find_stages(text: str) -> list[StageMatch]:
    """Stage-like statements in a diagnosis: 3级, Ⅲ级, 三级, 2期, T2N0M0 (O read as 0), 2型, 合并…, 伴…病变, 腺癌.

    Args:
        text: A diagnosis text (or any string).

    Returns:
        Statements in order of position, overlaps resolved in favour of the earlier pattern kind.
    """
    found: list[StageMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _STAGE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if any(start < b and a < end for a, b in taken):
                continue
            if kind in ("complication", "malignancy") and (
                    is_negated(text, start) or (kind == "complication" and is_statement_denied(text, start, end))):
                continue
            value = _stage_value(kind, match)
            if value is None:
                continue
            found.append(StageMatch(start, end, value, kind))
            taken.append((start, end))
    return sorted(found, key=lambda s: s.start)


def _stage_value(kind: str, match: re.Match[str]) -> str | None:
    raw = re.sub(r"\s", "", match.group(0))
    if kind == "tnm":
        return re.sub(r"(?<=[TNM])[Oo]", "0", raw).replace("x", "X")
    if kind in ("grade", "type") or (kind == "stage" and "n" in match.groupdict() and match.group("n")):
        number = _numeral(match.group("n"))
        if number is None:
            return None
        if kind == "grade":
            return f"{number}级"
        if kind == "type":
            return f"{number}型"
        sub = (match.group("sub") or "").upper()
        return f"{number}{sub}期"
    return raw


# ---------------------------------------------------------------------------
# ICD-10 codes
# ---------------------------------------------------------------------------

_ICD = re.compile(r"(?<![A-Za-z0-9])(?P<code>[A-TV-Z][0-9]{2}(?:\.[0-9X]{1,3})?)(?![0-9A-Za-z])")


# A code of chapter I in brackets, its I read as the digit 1 or an l (硬死后道症（169）for 脑梗死后遗症（I69）,
# fresh seed 9654): in brackets after a diagnosis, three digits stand for no count or measure.
_ICD_I_AS_ONE = re.compile(r"(?<=[（(])\s*(?P<code>[1l|](?P<rest>[0-9]{2}(?:\.[0-9X]{1,3})?))\s*(?=[)）])")


def find_icd_codes(text: str) -> list[tuple[int, int, str]]:
    """ICD-10 codes written in ``text`` (``I10``, ``E11.9``, ``C34.1``, also ``(169)`` for ``(I69)``) as
    (start, end, code)."""
    found = [(m.start(), m.end(), m.group("code")) for m in _ICD.finditer(text)]
    found += [(m.start("code"), m.end("code"), "I" + m.group("rest")) for m in _ICD_I_AS_ONE.finditer(text)]
    return sorted(found)


def _icd_key(code: str) -> tuple[str, float]:
    letter, rest = code[0], code[1:]
    try:
        return letter, float(rest)
    except ValueError:
        return letter, -1.0


def icd_in_ranges(code: str, ranges: tuple[str, ...] | list[str]) -> bool:
    """Whether ``code`` falls in any of ``ranges`` (``I10-I15``, ``K70.3``, ``Z94``); subcodes count.

    Args:
        code: An ICD-10 code as written.
        ranges: Catalog ranges.
    """
    letter, value = _icd_key(code.upper())
    whole = int(value) if value >= 0 else -1
    for item in ranges:
        low, _, high = item.partition("-")
        high = high or low
        low_letter, low_value = _icd_key(low)
        high_letter, high_value = _icd_key(high)
        if low_letter != letter or high_letter != letter:
            continue
        if "." in low or "." in high:
            if low_value <= value <= high_value or code.upper().startswith(low):
                return True
        elif int(low_value) <= whole <= int(high_value):
            return True
    return False
