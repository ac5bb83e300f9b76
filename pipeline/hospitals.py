"""Hospital names in OCR text: tolerant match to the registry, and unknown institutions as read.

A registry name (or alias) matches a stretch of text when the edit distance is
small for the name's length *and* the name's distinctive part (what is left
after the city prefix and generic words such as 人民 / 中心 / 医院) is intact:
a dropped or confused character in ``临汾市尧都中心医院`` still matches, while
``临汾市第一人民医院`` does not match ``临汾市汾西人民医院`` although only two
characters differ. One distinctive character read as its look-alike glyph (``平国`` for
``平阳``, as OCR misreads a blurred photo) is a misreading, not another name, when the rest
of the distinctive part is read exactly. Any other institution name (ending in 医院, 卫生院, 卫生服务中心,
诊所, 门诊部, …) is returned as read, flagged as not in the registry.

Works on strings; which mention is the document's issuing hospital (title area
first) is decided by the extraction step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.glyphs import ALIKE, glyph_similarity

# Words that name a kind of institution or an administrative level, not a particular hospital.
_GENERIC_WORDS = (
    "社区卫生服务中心", "社区卫生服务站", "卫生服务中心", "卫生服务站", "中西医结合", "妇幼保健院", "卫生院",
    "医院", "医疗", "人民", "中心", "中医", "社区", "第一", "第二", "第三", "第四", "第五", "附属", "分院", "总院",
    "市", "区", "县", "省", "镇", "乡",
)
_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,4}?[省市县](?!场)")
_SUFFIXES = ("社区卫生服务中心", "社区卫生服务站", "卫生服务中心", "卫生服务站", "妇幼保健院", "保健院", "卫生院", "医院",
             "医疗中心", "医学中心", "诊所", "门诊部", "中心")
# "中心" alone names a department when one of these precedes it.
_DEPARTMENT_CENTRES = re.compile(r"(?:检验|影像|体检|诊断|超声|放射|病理|心电|内镜|透析|急救|输血|康复|医学影像|检查|治疗|"
                                 r"服务|客服|数据|信息|报告|管理|结算|服务热线)中心$")
_INSTITUTION_LABELS = re.compile(r"^(?:医院名称|机构名称|医疗机构名称|医疗机构|就诊医院|诊断医院|送检医院|申请医院|"
                                 r"定点医院|出具单位|开具单位|单位名称|工作单位|诊治医院|确诊医院|治疗医院|所在医院|医院)[:：\s]*")
_STRONGER_SUFFIX = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:医院|卫生院|卫生服务中心|卫生服务站|保健院)")
_NOT_A_NAME = re.compile(r"[请到去于在经回转往至该本我贵各其此]|建议|上级|以上|二级|三级|一级|定点|指定|以下|门诊慢|医保")
_NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9()（）]"
_CLEAN = re.compile(r"[\s:：,，.。、;；'\"“”‘’·\-—_|]")


@dataclass(frozen=True)
class HospitalEntry:
    """One registry institution with the spellings it may appear under.

    ``masks[i]`` marks the distinctive characters of ``spellings[i]``.
    """

    name: str
    spellings: tuple[str, ...]
    masks: tuple[tuple[bool, ...], ...]


@dataclass(frozen=True)
class HospitalMatch:
    """A hospital named in a string.

    Attributes:
        name: The registry name when matched, else the institution name as read.
        in_registry: True when ``name`` comes from the registry.
        start: Offset of the mention in the searched string.
        end: Offset just past the mention.
        raw: The characters as read.
        score: 1.0 for an exact spelling, lower with each edit (0-1).
        spelling: The registry spelling (name or alias) that matched, if any.
    """

    name: str
    in_registry: bool
    start: int
    end: int
    raw: str
    score: float
    spelling: str | None = None


def build_registry(hospitals: Iterable[object]) -> tuple[HospitalEntry, ...]:
    """Registry entries from policy hospitals (anything with ``name`` and ``aliases``) or dicts.

    Args:
        hospitals: ``policy.all_hospitals``, or dicts ``{"name": ..., "aliases": [...]}``.
    """
    named: list[tuple[str, tuple[str, ...]]] = []
    for item in hospitals:
        if isinstance(item, dict):
            name, aliases = item["name"], tuple(item.get("aliases", ()))
        else:
            name, aliases = item.name, tuple(item.aliases)  # type: ignore[attr-defined]
        named.append((name, tuple(dict.fromkeys((name, *aliases)))))
    # City names of the registry ("临汾" of "临汾市…") are place words, generic in every spelling.
    places = set()
    for _, spellings in named:
        for spelling in spellings:
            prefix = _PREFIX.match(spelling)
            if prefix:
                places.add(prefix.group(0)[:-1])
    generic = tuple(sorted(places, key=len, reverse=True)) + _GENERIC_WORDS
    return tuple(
        HospitalEntry(name=name, spellings=spellings,
                      masks=tuple(tuple(_distinctive_mask(s, generic)) for s in spellings))
        for name, spellings in named
    )


# ---------------------------------------------------------------------------
# Distinctive part of a name
# ---------------------------------------------------------------------------


def _distinctive_mask(spelling: str, generic: tuple[str, ...] = _GENERIC_WORDS) -> list[bool]:
    """True for characters of ``spelling`` that identify this hospital (not city prefix, not generic words)."""
    mask = [True] * len(spelling)
    prefix = _PREFIX.match(spelling)
    if prefix and len(spelling) - prefix.end() >= 4:
        for i in range(prefix.end()):
            mask[i] = False
    for word in generic:
        for found in re.finditer(re.escape(word), spelling):
            for i in range(found.start(), found.end()):
                mask[i] = False
    if not any(mask):
        mask = [True] * len(spelling)
    return mask


def _total_budget(length: int) -> int:
    if length <= 3:
        return 0
    if length <= 6:
        return 1
    if length <= 12:
        return 2
    return 3


def _core_substitution_budget(core_length: int) -> int:
    return max(0, (core_length - 1) // 3)


# ---------------------------------------------------------------------------
# Approximate substring alignment (pattern fully aligned, text free at both ends)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Alignment:
    start: int
    end: int
    distance: int
    core_substitutions: int  # distinctive characters read as unlike ones
    core_indels: int
    core_lookalikes: int = 0  # distinctive characters read as look-alikes (平国 for 平阳)


def _align(pattern: str, text: str, mask: list[bool], max_distance: int) -> _Alignment | None:
    """Best placement of ``pattern`` in ``text`` by edit distance (Sellers), with the edits on the core."""
    m, n = len(pattern), len(text)
    if m == 0 or n == 0:
        return None
    inf = m + n + 1
    # dist[i][j]: pattern[:i] aligned to a text substring ending at j
    dist = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(1, m + 1):
        dist[i][0] = i
        row, prev = dist[i], dist[i - 1]
        pc = pattern[i - 1]
        for j in range(1, n + 1):
            cost = 0 if pc == text[j - 1] else 1
            row[j] = min(prev[j - 1] + cost, prev[j] + 1, row[j - 1] + 1)
    best_end = min(range(n + 1), key=lambda j: (dist[m][j], -j))
    best = dist[m][best_end]
    if best > max_distance or best >= inf:
        return None
    # Trace back from the best end to count edits that fall on the distinctive part.
    i, j = m, best_end
    core_subs = core_indels = core_lookalikes = 0
    while i > 0:
        here = dist[i][j]
        if j > 0 and here == dist[i - 1][j - 1] + (0 if pattern[i - 1] == text[j - 1] else 1):
            if pattern[i - 1] != text[j - 1] and mask[i - 1]:
                if glyph_similarity(pattern[i - 1], text[j - 1]) >= ALIKE:
                    core_lookalikes += 1
                else:
                    core_subs += 1
            i, j = i - 1, j - 1
        elif here == dist[i - 1][j] + 1:
            if mask[i - 1]:
                core_indels += 1
            i -= 1
        else:
            # text character inserted: on the core when both neighbours are core characters
            if 0 < i < m and mask[i - 1] and mask[i]:
                core_indels += 1
            j -= 1
    return _Alignment(start=j, end=best_end, distance=best, core_substitutions=core_subs, core_indels=core_indels,
                      core_lookalikes=core_lookalikes)


def _clean_with_offsets(text: str) -> tuple[str, list[int]]:
    kept, offsets = [], []
    for index, ch in enumerate(text):
        if not _CLEAN.match(ch):
            kept.append(ch)
            offsets.append(index)
    return "".join(kept), offsets


# Words that say what kind of institution a hospital is. Generic for matching (an OCR slip in them is
# forgiven), but one read in place of another names another hospital: a county's 中医医院 beside its
# 人民医院, a 卫生服务站 beside the 卫生服务中心. OCR does not misread one of these words as another.
_KIND_WORDS = re.compile(r"人民|中西医|中医|蒙医|藏医|维吾尔医|中心|服务站|卫生院|妇幼|妇产|儿童|肿瘤|精神|口腔|眼科|"
                         r"传染|康复|骨科|胸科|心血管|职业病|第[一二三四五六七八九十]")


def _another_kind(text: str, start: int, end: int, spelling: str) -> bool:
    """Whether ``text[start:end]``, aligned to ``spelling``, names another kind of institution: a kind word
    the spelling lacks overlaps it (服务中心 read over 服务站's place). Such a word is forgiven only in a
    stretch shorter than the spelling when the spelling's characters, some lost, still spell it (中心医院
    read 中医院)."""
    own = set(_KIND_WORDS.findall(spelling))
    for found in _KIND_WORDS.finditer(text):
        if found.start() >= end or found.end() <= start or found.group(0) in own:
            continue
        if end - start >= len(spelling) or not _spelled_within(found.group(0), spelling):
            return True
    return False


def _spelled_within(word: str, spelling: str) -> bool:
    """Whether ``word``'s characters appear in ``spelling`` in order (what is left when others are lost)."""
    rest = iter(spelling)
    return all(ch in rest for ch in word)


def _registry_matches(text: str, registry: tuple[HospitalEntry, ...]) -> list[HospitalMatch]:
    clean, offsets = _clean_with_offsets(text)
    if not clean:
        return []
    chars = set(clean)
    found: list[HospitalMatch] = []
    for entry in registry:
        best: HospitalMatch | None = None
        for spelling, mask_tuple in zip(entry.spellings, entry.masks, strict=True):
            budget = _total_budget(len(spelling))
            shared = sum(1 for ch in set(spelling) if ch in chars)
            if shared < len(set(spelling)) - budget:
                continue  # quick reject: too many of the name's characters are absent
            mask = list(mask_tuple)
            alignment = _align(spelling, clean, mask, budget)
            if alignment is None or alignment.end <= alignment.start:
                continue
            core_length = sum(mask)
            if alignment.core_substitutions > _core_substitution_budget(core_length):
                continue
            if alignment.core_substitutions + alignment.core_indels > max(1, _core_substitution_budget(core_length)):
                continue
            if core_length <= 2 and alignment.core_substitutions + alignment.core_indels and len(spelling) <= 5:
                continue  # a short alias with half its core lost: 康宁医院 is not the 康医院 of 华康医院
            if alignment.core_lookalikes and (
                    alignment.core_lookalikes > 1
                    or alignment.core_substitutions + alignment.core_indels + alignment.core_lookalikes >= core_length):
                continue  # one look-alike misread, and some of the distinctive part read exactly
            if _another_kind(clean, alignment.start, alignment.end, spelling):
                continue  # 汾西中医医院 is not 汾西人民医院
            start = offsets[alignment.start]
            end = offsets[alignment.end - 1] + 1
            score = 1.0 - alignment.distance / max(len(spelling), 1)
            candidate = HospitalMatch(entry.name, True, start, end, text[start:end], round(score, 3), spelling)
            if best is None or (candidate.score, len(spelling)) > (best.score, len(best.spelling or "")):
                best = candidate
        if best is not None:
            found.append(best)
    return found


def _unknown_institutions(text: str) -> list[HospitalMatch]:
    """Institution names (ending in 医院, 卫生院, …) that stand in ``text``, as read."""
    found: list[HospitalMatch] = []
    suffix_pattern = "|".join(re.escape(s) for s in _SUFFIXES)
    pattern = re.compile(rf"{_NAME_CHARS}+?(?:{suffix_pattern})")
    pos = 0
    while pos < len(text):
        match = pattern.search(text, pos)
        if match is None:
            break
        start, end = match.start(), match.end()
        longer = _STRONGER_SUFFIX.match(text, end)
        if match.group(0).endswith("中心") and longer is not None:
            end = longer.end()  # "…中心" then "医院": the name goes on ("尧都中心医院")
        name = text[start:end]
        label = _INSTITUTION_LABELS.match(name)
        if label and label.end() < len(name):
            name = name[label.end():]
            start += label.end()
        pos = end
        body = name
        for suffix in _SUFFIXES:
            if body.endswith(suffix):
                body = body[: -len(suffix)]
                break
        if len(body) < 2 or _NOT_A_NAME.search(body) or _INSTITUTION_LABELS.fullmatch(name):
            continue
        if name.endswith("中心") and not name.endswith(("卫生服务中心", "医疗中心", "医学中心")) and (
            _DEPARTMENT_CENTRES.search(name) or len(body) < 4 or not _PREFIX.match(name)
        ):
            continue  # a department: no place names a bare …中心 (器官移植中心 in a 科别 column, alt. seed 7015)
        found.append(HospitalMatch(name, False, start, end, text[start:end], 1.0))
    return found


def find_hospitals(text: str, registry: tuple[HospitalEntry, ...]) -> list[HospitalMatch]:
    """Every hospital named in ``text``: registry matches first, then unknown institutions not overlapping them.

    Args:
        text: A row or line of OCR text.
        registry: From ``build_registry``.

    Returns:
        Matches ordered by position. Never raises.
    """
    known = _registry_matches(text, registry)
    # Two registry entries may claim the same stretch ("康宁医院" inside "临汾康宁医院"): keep the better.
    known.sort(key=lambda h: (-h.score, -(h.end - h.start)))
    kept: list[HospitalMatch] = []
    for item in known:
        if all(item.end <= other.start or other.end <= item.start for other in kept):
            kept.append(_sub_institution(text, item) or item)
    for item in _unknown_institutions(text):
        if all(item.end <= other.start or other.end <= item.start for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda h: h.start)


# An institution run under a registry hospital's name (临汾市尧都中心医院东城社区卫生服务站, …分院): another
# place, which the registry does not grade. A department (…检验科, …体检中心, …门诊部) is the hospital.
_SUB_INSTITUTION = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:分院|社区卫生服务站|社区卫生服务中心|卫生服务站|卫生服务中心|"
                              r"卫生院|卫生室|诊所|保健院)")


def _sub_institution(text: str, registry_match: HospitalMatch) -> HospitalMatch | None:
    """The institution named by ``registry_match`` and what follows it without a gap, when that is one."""
    tail = _SUB_INSTITUTION.match(text, registry_match.end)
    if tail is None:
        return None
    start = registry_match.start
    return HospitalMatch(text[start:tail.end()], False, start, tail.end(), text[start:tail.end()], 1.0)


def match_hospital(text: str, registry: tuple[HospitalEntry, ...]) -> HospitalMatch | None:
    """The best hospital named in ``text``: a registry match when there is one, else the first institution read.

    Args:
        text: Any string (a title line, a seal's text, a form field).
        registry: From ``build_registry``.
    """
    found = find_hospitals(text, registry)
    if not found:
        return None
    return max(found, key=lambda h: (h.in_registry, h.score, -h.start))
