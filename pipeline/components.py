"""spaCy rule components for one OCR page: dates, ID numbers, hospitals, names, diagnosis, disease, stage, type.

Each component is registered as ``precheck_<name>_v1`` (the STYLE's ``precheck.<name>.v1``
spelling: spaCy rejects dots in factory names, error E853) and is a thin wrapper over
a pure parser (``dates``, ``hospitals``, ``fieldtext``, ``classify``). They work on
a Doc whose text is a page string built by ``pagetext.build_page_text`` and kept
in ``doc._.page_text`` (``nlp.make_page_doc`` sets it; ``precheck.layout.v1``
builds a plain-text one when it is missing). Results go to Doc extensions as
lists of Spans carrying their parsed values in Span extensions; choosing the
document's fields among them is ``extract.py``'s job.

Data comes in through the factories' configs (catalog names, registry
spellings), never from files: the nlp is built once per process by ``nlp.build_nlp``.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from models.ocr import OcrLine
from pipeline import classify, dates, fieldtext, hospitals
from pipeline.fuzzy import approximate_find
from pipeline.glyphs import lookalike_substitution_cost
from pipeline.idnumbers import is_valid_id_number
from pipeline.pagetext import PageText, page_text_from_string

# ---------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------

_DOC_EXTENSIONS = ("page_text", "dates", "id_numbers", "hospitals", "person_names", "diagnoses",
                   "disease_mentions", "stages", "type_hits")
_SPAN_EXTENSIONS = ("date_value", "date_role", "date_label", "date_label_start", "date_priority", "date_precision",
                    "date_corrected", "id_full", "id_valid", "id_labelled", "hospital_name", "hospital_in_registry",
                    "hospital_score", "hospital_labelled", "person_label", "person_role", "person_label_start", "person_value",
                    "diagnosis_label", "diagnosis_group", "diagnosis_label_start", "diagnosis_item_starts",
                    "diagnosis_skipped", "disease_code", "disease_codes", "disease_via", "disease_suspected", "stage_value",
                    "stage_kind")


def register_extensions() -> None:
    """Register the Doc and Span extensions the components write (idempotent)."""
    for name in _DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in _SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_extensions()


def _page(doc: Doc) -> PageText:
    page_text = doc._.page_text
    if page_text is None or page_text.text != doc.text:
        page_text = page_text_from_string(doc.text)
        doc._.page_text = page_text
    return page_text


def _span(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------


@Language.factory(
    "precheck_layout_v1",
    assigns=["doc._.page_text"],
)
def make_layout(nlp: Language, name: str) -> PageLayout:
    """Factory of :class:`PageLayout` (its docstring states the attributes it reads and writes)."""
    return PageLayout()


class PageLayout:
    """Make sure the Doc knows its page geometry.

    Reads: ``doc._.page_text`` (may be missing).
    Writes: ``doc._.page_text`` (a plain-text layout, one row per text line, when missing or stale).
    """

    def __call__(self, doc: Doc) -> Doc:
        _page(doc)
        return doc


# ---------------------------------------------------------------------------
# ID numbers
# ---------------------------------------------------------------------------


@Language.factory(
    "precheck_id_numbers_v1",
    assigns=["doc._.id_numbers", "span._.id_full", "span._.id_valid", "span._.id_labelled"],
)
def make_id_numbers(nlp: Language, name: str) -> IdNumbers:
    """Factory of :class:`IdNumbers` (its docstring states the attributes it reads and writes)."""
    return IdNumbers()


class IdNumbers:
    """公民身份号码: 18-character numbers, OCR-repaired, checked with the GB 11643 check digit.

    Reads: ``doc.text``.
    Writes: ``doc._.id_numbers`` (list of Span) with ``span._.id_full`` (the full number: keep in
    memory only), ``span._.id_valid`` and ``span._.id_labelled``.
    """

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match in fieldtext.find_id_numbers(doc.text):
            span = _span(doc, match.start, match.end, "ID_NUMBER")
            if span is None:
                continue
            span._.id_full = match.number
            span._.id_valid = is_valid_id_number(match.number)
            span._.id_labelled = match.labelled
            spans.append(span)
        doc._.id_numbers = spans
        return doc


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

# Issue-date priority of each label (higher wins); roles not listed never give the issue date.
_LABEL_PRIORITY = (
    (re.compile(r"报\s*[告吿]"), 50),
    (re.compile(r"开\s*具|出\s*具|签\s*发|诊\s*断|证\s*明|处\s*方|开\s*方|发\s*证"), 48),
    (re.compile(r"签|盖\s*章|落\s*款|填|委\s*托|授\s*权|医\s*[师生]"), 44),
    (re.compile(r"审"), 46),
    (re.compile(r"发\s*布"), 45),
)
_SIGNATURE_NEAR = re.compile(r"签\s*[名字章]|盖\s*章|医\s*[师生]\s*[:：(（]|[(（]\s*章\s*[)）]|公\s*章|专\s*用\s*章|按\s*印")
_ISSUER_LINE = re.compile(r"(?:医院|卫生院|服务中心|服务站|委员会|医疗保障局|医保局|公司|诊所|门诊部)"
                          r"\s*(?:[(（]\s*[盖公]?\s*章\s*[)）])?\s*$")
_APPLICANT_SIGNS = re.compile(r"(?:申\s*请\s*人|本\s*人|患\s*者|参\s*保\s*人)\s*[（(]?\s*(?:签\s*[名字章]|按\s*印)")
_PHYSICIAN_SIGNS = re.compile(r"医\s*[师生]")
_YEAR_LESS_MAX_DAYS = 60
_BARE_BOTTOM_PRIORITY = 40
_SIGN_OFF_PRIORITY = 38
_BARE_TOP_PRIORITY = 20
UNLABELLED_PRIORITY = 10
ROW_HEAD_PRIORITY = 5
_LOWER_PART = 0.5


# A department or a visit's kind right after a date that heads its row (2025·02·04心内科, read as one box:
# alternative templates family 2, seed 7101): the visit's heading, not a history's date inside a sentence.
_VISIT_HEADING_AFTER = re.compile(r"[\u4e00-\u9fff]{1,6}科|门\s*诊|[复初就]\s*诊")


def _heads_its_row(row: str, start: int, end: int) -> bool:
    """Whether a date stands first on its row, set apart from what follows (not 2024年1月5日起病, a history)."""
    return not row[:start].strip() and (end >= len(row) or row[end].isspace()
                                        or _VISIT_HEADING_AFTER.match(row, end) is not None)


_COLUMN_GAP = 3.0  # line heights between a box and the one before it on its row: another column (a booklet's page)


def _heads_its_column(page: PageText, start: int, end: int) -> bool:
    """Whether a date heads its own box, far right of the box before it on the row, and is set apart from
    what follows as :func:`_heads_its_row` asks: an opened booklet's right page heads its visit with its date
    (2025年9月6日风湿科) on the row of the left page's hospital name (alternative templates family 2, seed 7101)."""
    box = next((p for p in page.pieces if p.start <= start < p.end), None)
    if box is None or page.text[box.start:start].strip():
        return False
    x, _, _, height = page.page.lines[box.line_index].bbox
    row = page.rows[page.row_index_at(start)]
    before = [page.page.lines[i].bbox for i in row.line_indices if page.page.lines[i].bbox[0] < x]
    if not before:
        return False  # the row's first box: _heads_its_row decides
    right_of_before = max(bx + bw for bx, _, bw, _ in before)
    return x - right_of_before >= _COLUMN_GAP * height and _heads_its_row(page.text[box.start:box.end], start - box.start,
                                                                          end - box.start)


def _issue_priority(role: str, label: str | None) -> int:
    if role in ("report", "issue") and label:
        for pattern, value in _LABEL_PRIORITY:
            if pattern.search(label):
                return value
        return 44
    return 0


@Language.factory(
    "precheck_dates_v1",
    requires=["doc._.page_text"],
    assigns=["doc._.dates", "span._.date_value", "span._.date_role", "span._.date_label",
             "span._.date_label_start", "span._.date_priority", "span._.date_precision", "span._.date_corrected"],
)
def make_dates(nlp: Language, name: str) -> Dates:
    """Factory of :class:`Dates` (its docstring states the attributes it reads and writes)."""
    return Dates()


class Dates:
    """Dates in every written form, each with its role from the label before it (same row or header above).

    Roles: report (报告日期/时间, 审核), issue (开具/出具/签发/诊断日期, a bare 日期 in the lower half or
    beside a signature / seal, or an unlabelled date signing the document off), exam, sampling, print,
    visit, request, birth, validity, unknown. "Lower half" is measured on the page's text, not its image.

    Reads: ``doc._.page_text``.
    Writes: ``doc._.dates`` (list of Span) with ``span._.date_value`` (datetime.date), ``date_role``,
    ``date_label`` (as read, or None), ``date_label_start`` (char offset), ``date_priority`` (issue-date
    priority, 0 = never the issue date), ``date_precision`` ("day"/"month") and ``date_corrected``
    (OCR repairs were needed, or the year was taken from the page's other dates).
    """

    def __call__(self, doc: Doc) -> Doc:
        page = _page(doc)
        spans = []
        for row_index, row in enumerate(page.rows):
            row_text = page.text[row.start:row.end]
            previous: tuple[int, str, str | None] | None = None  # the row's last date: its end, role and label
            for item in dates.label_dates(row_text):
                start, end = row.start + item.date.start, row.start + item.date.end
                span = _span(doc, start, end, "DATE")
                if span is None:
                    continue
                role, label = item.role, item.label
                label_start = row.start + item.label_start if item.label_start is not None else None
                if role == "unknown" and previous is not None and previous[1] != "unknown" \
                        and dates.joins_a_range(row_text[previous[0]:item.date.start]):
                    # the end of a range whose start took its label from a header cell (享受期限 over or
                    # beside 自2023/10/10起至2025/10/9止): the same label
                    role, label, label_start = previous[1], previous[2], None
                elif role == "unknown":
                    above = self._header_above(page, row_index, start, end) or self._label_beside(page, row_index,
                                                                                                  start, end)
                    if above is not None:
                        # the label stands in a header cell above or a box beside: the evidence text stays the date
                        role, label, label_start = above[0], above[1], None
                previous = (item.date.end, role, label)
                priority = _issue_priority(role, label)
                rel_y = page.relative_y(start, end)
                if role == "dated":
                    near = _SIGNATURE_NEAR.search(row_text) or _SIGNATURE_NEAR.search(self._row(page, row_index - 1))
                    if rel_y >= _LOWER_PART or near:
                        role, priority = "issue", _BARE_BOTTOM_PRIORITY
                    else:
                        role, priority = "unknown", _BARE_TOP_PRIORITY
                elif role == "unknown" and self._signs_off(page, row_index, rel_y):
                    # beside the applicant's own signature: the form's date of application (申请日期), not
                    # the doctor's under the hospital's opinion (alternative templates, seed 7002)
                    role = "request" if self._applicant_signs(page, row_index) else "issue"
                    priority = _SIGN_OFF_PRIORITY
                elif role == "unknown" and rel_y >= _LOWER_PART:
                    priority = UNLABELLED_PRIORITY
                elif role == "unknown" and (_heads_its_row(row_text, item.date.start, item.date.end)
                                            or _heads_its_column(page, start, end)):
                    # a date heading its row near the top (2025-03-12 内分泌科 门诊: a handwritten record's
                    # visit): the last resort, when the page shows no other date it may be dated by
                    priority = ROW_HEAD_PRIORITY
                span._.date_value = item.date.value
                span._.date_role = role
                span._.date_label = label
                span._.date_label_start = label_start
                span._.date_priority = priority
                span._.date_precision = item.date.precision
                span._.date_corrected = item.date.corrected
                spans.append(span)
        spans += self._year_less(doc, page, spans)
        doc._.dates = sorted(spans, key=lambda s: s.start_char)
        return doc

    @staticmethod
    def _year_less(doc: Doc, page: PageText, found: list[Span]) -> list[Span]:
        """Report / issue dates whose year OCR lost (``报告日期：年6月28日``), dated by the page's other dates.

        The year is the one that puts the month and day closest to a full date on the same page
        (sampling, exam or print times), accepted within ``_YEAR_LESS_MAX_DAYS`` of it.
        """
        known = [s._.date_value for s in found]
        if not known:
            return []
        out = []
        for row in page.rows:
            row_text = page.text[row.start:row.end]
            for partial, label in dates.issued_year_less_dates(row_text):
                start, end = row.start + partial.start, row.start + partial.end
                if any(start < s.end_char and s.start_char < end for s in found):
                    continue
                value = dates.nearest_year(partial.month, partial.day, known, _YEAR_LESS_MAX_DAYS)
                span = _span(doc, start, end, "DATE")
                if value is None or span is None:
                    continue
                span._.date_value = value
                span._.date_role = label[0]
                span._.date_label = label[1]
                label_start = row_text.rfind(label[1], 0, partial.start)
                span._.date_label_start = row.start + label_start if label_start >= 0 else None
                span._.date_priority = _issue_priority(label[0], label[1])
                span._.date_precision = "day"
                span._.date_corrected = True
                out.append(span)
        return out

    @staticmethod
    def _signs_off(page: PageText, row_index: int, rel_y: float) -> bool:
        """An unlabelled date that closes the document: beside or under a signature, or under the issuer's name.

        ``医师签名：… 2025-03-09`` or ``临汾康宁医院`` then ``2025年3月12日`` at the foot of a page
        (落款) is the date the document was signed.
        """
        rows = [Dates._row(page, i) for i in (row_index, row_index - 1, row_index - 2)]
        if any(_SIGNATURE_NEAR.search(text) for text in rows):
            return True
        return rel_y >= _LOWER_PART and any(_ISSUER_LINE.search(text) for text in rows[1:])

    @staticmethod
    def _applicant_signs(page: PageText, row_index: int) -> bool:
        """Whether the applicant's signature label (申请人签字, 本人签名 …) stands on the date's row, or on the row
        above with no physician's label there."""
        here, above = Dates._row(page, row_index), Dates._row(page, row_index - 1)
        return _APPLICANT_SIGNS.search(here) is not None or (
            _APPLICANT_SIGNS.search(above) is not None and _PHYSICIAN_SIGNS.search(above) is None)

    @staticmethod
    def _row(page: PageText, index: int) -> str:
        if 0 <= index < len(page.rows):
            return page.row_text(index)
        return ""

    @staticmethod
    def _header_above(page: PageText, row_index: int, start: int, end: int) -> tuple[str, str] | None:
        """A label cell right above the date (table header), within two rows."""
        box = page.bbox_of(start, end)
        if box is None:
            return None
        x0, x1 = box[0], box[0] + box[2]
        for above_index in range(row_index - 1, max(row_index - 3, -1), -1):
            above = page.rows[above_index]
            if page.rows[row_index].y_centre - above.y_centre > 3 * max(above.height, 1):
                break
            for piece in page.pieces_in(above.start, above.end):
                line = page.page.lines[piece.line_index]
                lx0, lx1 = line.bbox[0], line.bbox[0] + line.bbox[2]
                if min(x1, lx1) - max(x0, lx0) <= 0:
                    continue
                role = dates.label_role(line.text)
                if role is not None:
                    return role, line.text.strip(" :：")
        return None

    @staticmethod
    def _label_beside(page: PageText, row_index: int, start: int, end: int) -> tuple[str, str] | None:
        """A label alone in its box just left of the date that the rows put on a neighbouring row.

        On a skewed photo the date box beside 就诊日期： can sit higher, its centre nearer the row of
        姓名 on the left: the label then forms a row of its own. A label box that ends at most
        ``_BESIDE_GAP`` line heights before the date and overlaps it vertically by half is its label.
        """
        box = page.bbox_of(start, end)
        if box is None:
            return None
        x0, y0, _, h = box
        for other_index in (row_index - 1, row_index + 1):
            if not 0 <= other_index < len(page.rows):
                continue
            other = page.rows[other_index]
            for piece in page.pieces_in(other.start, other.end):
                line = page.page.lines[piece.line_index]
                lx, ly, lw, lh = line.bbox
                gap = x0 - (lx + lw)
                overlap = min(y0 + h, ly + lh) - max(y0, ly)
                if not -0.5 * lh <= gap <= _BESIDE_GAP * lh or overlap < 0.5 * min(h, lh):
                    continue
                role = dates.label_role(line.text)
                if role is not None and not dates.find_dates(line.text):
                    return role, line.text.strip(" :：")
        return None


_BESIDE_GAP = 2.0


# ---------------------------------------------------------------------------
# Hospitals
# ---------------------------------------------------------------------------

_INSTITUTION_LABEL_BEFORE = re.compile(r"(?:医院名称|机构名称|医疗机构|就诊医院|诊断医院|申请医院|定点医院|出具单位|开具单位|"
                                       r"诊治医院|确诊医院|治疗医院|医院)\s*[:：]?\s*$")


@Language.factory(
    "precheck_hospitals_v1",
    default_config={"registry": []},
    requires=["doc._.page_text", "doc.ents"],
    assigns=["doc._.hospitals", "span._.hospital_name", "span._.hospital_in_registry", "span._.hospital_score",
             "span._.hospital_labelled"],
)
def make_hospitals(nlp: Language, name: str, registry: list[dict[str, Any]]) -> Hospitals:
    """Factory of :class:`Hospitals` (its docstring states the attributes it reads and writes)."""
    return Hospitals(registry)


class Hospitals:
    """Hospital names: tolerant match to the registry, and unknown institutions as read.

    Config: ``registry``, a list of ``{"name": ..., "aliases": [...]}`` (policy data).
    Reads: ``doc._.page_text``; ``doc.ents`` labelled HOSPITAL (exact registry spellings from the ruler).
    Writes: ``doc._.hospitals`` (list of Span) with ``span._.hospital_name`` (registry name, or as read),
    ``hospital_in_registry``, ``hospital_score`` (0-1) and ``hospital_labelled`` (after 医院名称: …).
    """

    def __init__(self, registry: list[dict[str, Any]]) -> None:
        self.registry = hospitals.build_registry(registry)

    def __call__(self, doc: Doc) -> Doc:
        page = _page(doc)
        spans: list[Span] = []
        covered: list[tuple[int, int]] = []
        for ent in doc.ents:
            if ent.label_ == "HOSPITAL":
                span = _span(doc, ent.start_char, ent.end_char, "HOSPITAL")
                if span is None:
                    continue
                self._set(span, ent.ent_id_ or ent.text, True, 1.0, doc.text)
                spans.append(span)
                covered.append((ent.start_char, ent.end_char))
        for row in page.rows:
            row_text = page.text[row.start:row.end]
            for match in hospitals.find_hospitals(row_text, self.registry):
                start, end = row.start + match.start, row.start + match.end
                if any(start < b and a < end for a, b in covered):
                    continue
                span = _span(doc, start, end, "HOSPITAL")
                if span is None:
                    continue
                self._set(span, match.name, match.in_registry, match.score, doc.text)
                spans.append(span)
                covered.append((start, end))
        doc._.hospitals = sorted(spans, key=lambda s: s.start_char)
        return doc

    @staticmethod
    def _set(span: Span, name: str, in_registry: bool, score: float, text: str) -> None:
        span._.hospital_name = name
        span._.hospital_in_registry = in_registry
        span._.hospital_score = score
        line_start = text.rfind("\n", 0, span.start_char) + 1
        span._.hospital_labelled = bool(_INSTITUTION_LABEL_BEFORE.search(text[line_start:span.start_char]))


# ---------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------


@Language.factory(
    "precheck_person_names_v1",
    requires=["doc._.page_text"],
    assigns=["doc._.person_names", "span._.person_label", "span._.person_role", "span._.person_label_start",
             "span._.person_value"],
)
def make_person_names(nlp: Language, name: str) -> PersonNames:
    """Factory of :class:`PersonNames` (its docstring states the attributes it reads and writes)."""
    return PersonNames()


class PersonNames:
    """Person names after 姓名 / 患者 / 患者姓名 / 名字 / 申请人 / 委托人 / 受托人 labels.

    Reads: ``doc._.page_text``.
    Writes: ``doc._.person_names`` (list of Span) with ``span._.person_label`` (as read),
    ``person_role`` ("patient", "principal", "agent"), ``person_label_start`` and ``person_value`` (the name
    with spaces removed and a leading T read for 丁 repaired).
    """

    def __call__(self, doc: Doc) -> Doc:
        page = _page(doc)
        spans = []
        for row in page.rows:
            for match in fieldtext.find_person_names(page.text[row.start:row.end]):
                span = _span(doc, row.start + match.start, row.start + match.end, "PERSON")
                if span is None:
                    continue
                span._.person_label = match.label
                span._.person_value = match.value  # as repaired (丁 for a leading T), else as read
                span._.person_role = match.role
                span._.person_label_start = row.start + match.label_start
                spans.append(span)
        if not spans:
            spans = _names_under_column_labels(doc, page)
        doc._.person_names = spans
        return doc


# A name label alone in its box, heading a column (姓名 | 性别 | 年龄 over 王建国 | 男 | 60岁), also with its
# English gloss (a report's sidebar: 姓名 Name over 郑庆平, alternative templates 2, seed 7117).
_COLUMN_NAME_LABEL = re.compile(r"(?:患\s*者|病\s*人|受\s*检\s*者)?\s*姓\s*名\s*(?:[/／|]?\s*(?:Patient\s*)?Name\s*)?[:：]?",
                                re.IGNORECASE)


def _names_under_column_labels(doc: Doc, page: PageText) -> list[Span]:
    """Names in the box right under a name label alone in its box, the whole box a name: a table whose
    header row names the columns and whose next row holds the values (a lab report's printout)."""
    spans = []
    for piece in page.pieces:
        label = page.page.lines[piece.line_index]
        if not _COLUMN_NAME_LABEL.fullmatch(label.text.strip()):
            continue
        lx, ly, lw, lh = label.bbox
        if _value_beside(page, label):
            continue  # the label's value stands beside it: no column (a card's 姓名 新 over 桂别, 性别 misread)
        below = [p for p in page.pieces
                 if ly + 0.5 * lh < page.page.lines[p.line_index].bbox[1] <= ly + 2.5 * lh
                 and _overlap(page.page.lines[p.line_index].bbox, lx, lw) > 0]
        if not below:
            continue
        value = min(below, key=lambda p: page.page.lines[p.line_index].bbox[1])
        text = page.text[value.start:value.end]
        matches = fieldtext.find_person_names("姓名：" + text.strip())
        if not matches or matches[0].value != fieldtext.name_as_written(text):
            continue  # the box below holds more than a name, or none
        lead = len(text) - len(text.lstrip())
        span = _span(doc, value.start + lead, value.start + lead + len(text.strip()), "PERSON")
        if span is None:
            continue
        span._.person_label = label.text.strip()
        span._.person_value = matches[0].value
        span._.person_role = "patient"
        span._.person_label_start = piece.start
        spans.append(span)
    return spans


# Words of a table's header cells (性别 | 年龄 | 身份证号码 beside 姓名): a neighbour holding none is a value.
_HEADER_WORD = re.compile(r"性\s*别|年\s*龄|民\s*族|出\s*生|身\s*份|证|号|科|电\s*话|地\s*址|住\s*址|类|病\s*种|机\s*构|"
                          r"日\s*期|时\s*间|职\s*业|单\s*位|诊\s*断|项\s*目|标\s*本|床")
_BESIDE = 3.0  # label heights: how far right of a label its value stands


def _value_beside(page: PageText, label: OcrLine) -> bool:
    """Whether the box right beside ``label`` on its row holds a value rather than the next header cell
    (fresh seed 9605: a residence permit's 姓名 新, its value cut to one character, over 桂别 男: 桂别 was
    taken for the name in the column under 姓名, a false ILLEGIBLE)."""
    lx, ly, lw, lh = label.bbox
    beside = [line for line in page.page.lines if line is not label
              and abs((line.bbox[1] + line.bbox[3] / 2) - (ly + lh / 2)) < 0.5 * lh
              and 0 <= line.bbox[0] - (lx + lw) <= _BESIDE * lh]
    if not beside:
        return False
    nearest = min(beside, key=lambda line: line.bbox[0])
    return _HEADER_WORD.search(nearest.text) is None


def _overlap(bbox: list[int], x: int, width: int) -> int:
    return min(bbox[0] + bbox[2], x + width) - max(bbox[0], x)


# ---------------------------------------------------------------------------
# Diagnosis, disease, stage
# ---------------------------------------------------------------------------


@Language.factory(
    "precheck_diagnosis_v1",
    requires=["doc._.page_text"],
    assigns=["doc._.diagnoses", "span._.diagnosis_label", "span._.diagnosis_group", "span._.diagnosis_label_start",
             "span._.diagnosis_item_starts", "span._.diagnosis_skipped"],
)
def make_diagnosis(nlp: Language, name: str) -> Diagnoses:
    """Factory of :class:`Diagnoses` (its docstring states the attributes it reads and writes)."""
    return Diagnoses()


class Diagnoses:
    """Diagnosis texts after 诊断 / 临床诊断 / 初步诊断 / 诊断意见 / 印象 / 结论 / 超声提示 / 病理诊断 … (may span rows).

    Reads: ``doc._.page_text``.
    Writes: ``doc._.diagnoses`` (list of Span) with ``span._.diagnosis_label`` (as read),
    ``diagnosis_group`` ("pathology", "clinical", "conclusion", "disease"), ``diagnosis_label_start`` and
    ``diagnosis_item_starts`` (offsets in the span of rows that start a new item) and ``diagnosis_skipped``
    (offset ranges in the span of another column's words).
    """

    def __call__(self, doc: Doc) -> Doc:
        page = _page(doc)
        spans = []
        for match in fieldtext.find_diagnoses(page):
            span = _span(doc, match.start, match.end, "DIAGNOSIS")
            if span is None:
                continue
            span._.diagnosis_label = match.label
            span._.diagnosis_group = match.group
            span._.diagnosis_label_start = match.label_start
            span._.diagnosis_item_starts = tuple(o - match.start for o in match.item_starts)
            span._.diagnosis_skipped = tuple((a - match.start, b - match.start) for a, b in match.skipped)
            spans.append(span)
        doc._.diagnoses = spans
        return doc


@Language.factory(
    "precheck_diseases_v1",
    default_config={"diseases": [], "extra_patterns": {}},
    requires=["doc.ents", "doc._.diagnoses"],
    assigns=["doc._.disease_mentions", "span._.disease_code", "span._.disease_via", "span._.disease_suspected",
             "span._.disease_codes"],
)
def make_diseases(nlp: Language, name: str, diseases: list[dict[str, Any]],
                  extra_patterns: dict[str, list[str]]) -> Diseases:
    """Factory of :class:`Diseases` (its docstring states the attributes it reads and writes)."""
    return Diseases(diseases, extra_patterns)


def _near_edits(name: str) -> int:
    """OCR errors a disease name may carry and still be recognised: none under 4 characters, one under 8,
    two in a long name (慢性乙型病毒性肝炎 read 假性乙型病毒性肝货: no two catalog names are that close)."""
    return 0 if len(name) < 4 else 1 if len(name) < 8 else 2


# A short name (癫痫, 尿毒症) misread by one close look-alike (癫痛 for 癫痫, 痛/痫 0.90) is still
# that name; no two catalog names come within this of each other (癌症 and 尿毒症 at 0.25 do).
SHORT_NAME_LOOKALIKE_BUDGET = 0.15


def _near_disease(name: str, text: str) -> tuple[int, int, float] | None:
    """Where ``text`` names the catalog disease ``name`` as OCR misread it: within ``_near_edits`` whole
    edits, or with look-alike characters costing less (美风温性美节炎 for 类风湿性关节炎: 类/美,
    湿/温 and 关/美 cost 0.54 in all). The weighted search runs only where half the name's
    characters were read as printed; a short name allows one close look-alike only."""
    if len(name) < 4:
        return approximate_find(name, text, SHORT_NAME_LOOKALIKE_BUDGET, lookalike_substitution_cost)
    found = approximate_find(name, text, _near_edits(name))
    if found is not None or 2 * sum(ch in text for ch in set(name)) < len(set(name)):
        return found
    return approximate_find(name, text, _near_edits(name), lookalike_substitution_cost)


# A near spelling of a catalog name must read its numerals as they are: 慢性肾脏病3期 is one edit from
# 慢性肾脏病5期 and another stage of the illness.
_NUMERALS = re.compile(r"[0-9ⅠⅡⅢⅣⅤ一二三四五]")


class Diseases:
    """Catalog diseases named in the diagnosis: ruler matches, near-matches (OCR errors), ICD-10 codes.

    Config: ``diseases``, a list of ``{"code", "names", "icd10"}`` from the catalog; ``extra_patterns``,
    regexes per code for open-ended families (``…癌`` for malignant tumours).
    Reads: ``doc.ents`` labelled DISEASE (ruler, ``ent_id_`` = catalog code); ``doc._.diagnoses``.
    Writes: ``doc._.disease_mentions`` (list of Span) with ``span._.disease_code``, ``disease_via``
    ("name", "near", "pattern", "icd10") and ``disease_suspected`` (疑似…, …可能); on each diagnosis span
    ``span._.disease_codes`` (codes in order of mention, negated mentions such as 未见… left out).
    """

    def __init__(self, diseases: list[dict[str, Any]], extra_patterns: dict[str, list[str]]) -> None:
        self.diseases = diseases
        self.names = sorted(((n, d["code"]) for d in diseases for n in d.get("names", ()) if len(n) >= 2),
                            key=lambda item: -len(item[0]))
        self.patterns = [(code, re.compile(p)) for code, items in extra_patterns.items() for p in items]
        # the catalog's own name of each disease (its first name): 慢性心力衰竭 for a mention of 心力衰竭
        self.canonical = {d["code"]: d["names"][0] for d in diseases if d.get("names")}

    def __call__(self, doc: Doc) -> Doc:
        mentions: list[Span] = []
        refused: list[tuple[int, int]] = []  # names read exactly but denied or qualified as another condition
        for ent in doc.ents:
            if ent.label_ != "DISEASE":
                continue
            if not fieldtext.is_negated(doc.text, ent.start_char) \
                    and not fieldtext.qualified_otherwise(self.canonical.get(ent.ent_id_, ent.text), doc.text,
                                                          ent.start_char, ent.end_char):
                self._add(doc, mentions, ent.start_char, ent.end_char, ent.ent_id_, "name")
            else:
                refused.append((ent.start_char, ent.end_char))
        for diagnosis in doc._.diagnoses or []:
            text, offset = diagnosis.text, diagnosis.start_char
            if not any(diagnosis.start_char <= m.start_char < diagnosis.end_char for m in mentions):
                for name, code in self.names:
                    found = _near_disease(name, text)
                    # a near spelling over a name refused there does not bring it back (血友病携带者: 血友病携
                    # is one edit from 血友病A)
                    if found is not None and any(offset + found[0] < end and start < offset + found[1]
                                                 for start, end in refused):
                        continue
                    if found is not None and not fieldtext.is_negated(text, found[0]) \
                            and _NUMERALS.findall(name) == _NUMERALS.findall(text[found[0]:found[1]]) \
                            and not fieldtext.qualified_otherwise(self.canonical.get(code, name), text, found[0],
                                                                  found[1]):
                        self._add(doc, mentions, offset + found[0], offset + found[1], code, "near")
                        break
            for code, pattern in self.patterns:
                for match in pattern.finditer(text):
                    if not fieldtext.is_family_match_negated(text, match.start(), match.end()) \
                            and not fieldtext.is_history_of(text, match.end()):
                        self._add(doc, mentions, offset + match.start(), offset + match.end(), code, "pattern")
            for start, end, icd in fieldtext.find_icd_codes(text):
                code = self._code_of_icd(icd)
                if code is not None:
                    self._add(doc, mentions, offset + start, offset + end, code, "icd10")
        mentions.sort(key=lambda s: s.start_char)
        doc._.disease_mentions = mentions
        for diagnosis in doc._.diagnoses or []:
            skipped = [(diagnosis.start_char + a, diagnosis.start_char + b) for a, b in diagnosis._.diagnosis_skipped or ()]
            codes = [m._.disease_code for m in mentions if diagnosis.start_char <= m.start_char < diagnosis.end_char
                     and not any(a <= m.start_char < b for a, b in skipped)]
            diagnosis._.disease_codes = list(dict.fromkeys(codes))
        return doc

    def _code_of_icd(self, icd: str) -> str | None:
        for disease in self.diseases:
            if fieldtext.icd_in_ranges(icd, tuple(disease.get("icd10", ()))):
                return disease["code"]
        return None

    @staticmethod
    def _add(doc: Doc, mentions: list[Span], start: int, end: int, code: str, via: str) -> None:
        if any(start < m.end_char and m.start_char < end for m in mentions):
            return
        span = _span(doc, start, end, "DISEASE")
        if span is None:
            return
        span._.disease_code = code
        span._.disease_via = via
        span._.disease_suspected = fieldtext.is_suspected(doc.text, start, end)
        mentions.append(span)


@Language.factory(
    "precheck_stages_v1",
    requires=["doc._.diagnoses"],
    assigns=["doc._.stages", "span._.stage_value", "span._.stage_kind"],
)
def make_stages(nlp: Language, name: str) -> Stages:
    """Factory of :class:`Stages` (its docstring states the attributes it reads and writes)."""
    return Stages()


class Stages:
    """Stage / grade / type / complication / malignancy statements inside diagnosis texts, but for those
    only suspected (3级？).

    Reads: ``doc._.diagnoses``.
    Writes: ``doc._.stages`` (list of Span) with ``span._.stage_value`` (normalised: "3级", "2期",
    "T2N0M0", "2型", "合并糖尿病肾病", "腺癌", "极高危") and ``span._.stage_kind``.
    """

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for diagnosis in doc._.diagnoses or []:
            for match in fieldtext.find_stages(diagnosis.text):
                if fieldtext.is_suspected(diagnosis.text, match.start, match.end):
                    continue  # 高血压（3级？）, 视网膜病变待排: a stage only suspected is not stated
                span = _span(doc, diagnosis.start_char + match.start, diagnosis.start_char + match.end, "STAGE")
                if span is None:
                    continue
                span._.stage_value = match.value
                span._.stage_kind = match.kind
                spans.append(span)
        doc._.stages = spans
        return doc


# ---------------------------------------------------------------------------
# Document type evidence
# ---------------------------------------------------------------------------


@Language.factory(
    "precheck_doctype_v1",
    requires=["doc._.page_text"],
    assigns=["doc._.type_hits"],
)
def make_doctype(nlp: Language, name: str) -> DocType:
    """Factory of :class:`DocType` (its docstring states the attributes it reads and writes)."""
    return DocType()


class DocType:
    """Keyword evidence for the document type (titles weigh more); the decision is made per document.

    Reads: ``doc._.page_text``.
    Writes: ``doc._.type_hits`` (list of ``classify.KeywordHit``).
    """

    def __call__(self, doc: Doc) -> Doc:
        doc._.type_hits = classify.keyword_hits(_page(doc))
        return doc
