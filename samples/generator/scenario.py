"""Packet planning: region, kind, people, dates, materials and injected defects, with the expected findings.

The plan decides *what* each file says; the truth follows the policy book
(``pipeline.policy.load_policy``): which materials are required, the maximum
ages, which hospitals are eligible, which diseases a region covers and which
need a stated stage. Clean materials stay well clear of every boundary so that
each expected finding has exactly one cause.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from models.codes import FindingCode as C
from models.codes import Severity, derive_status, severity_of
from models.policy import PolicyBook
from samples.generator import content
from samples.generator.dates import add_months, months_before
from samples.generator.documents import DocContent
from samples.generator.people import Person, break_check_digit, make_person

# Share of returns the public figures give (SPEC section 1): the rest is spread over the other codes.
PUBLIC_RETURN_WEIGHTS: dict[str, float] = {
    "SEAL_MISSING_DIAG": 35, "REPORT_EXPIRED": 28, "MATERIAL_MISSING": 5, "STAGE_NOT_MET": 4, "DIAGNOSIS_MISMATCH": 3,
    "HOSPITAL_NOT_ELIGIBLE": 3, "IDENTITY_MISMATCH": 3, "SIGNATURE_MISSING": 3, "UNREADABLE_FILE": 3,
    "WRONG_DOCUMENT": 3, "DISEASE_NOT_COVERED": 3, "SEAL_MISSING_EXAM": 2, "DATE_IN_FUTURE": 2,
    "ID_NUMBER_INVALID": 2, "AGENT_MATERIALS_MISSING": 2, "RENEWAL_OUT_OF_WINDOW": 2,
}
MANUAL_DEFECTS = ("ILLEGIBLE", "DATE_MISSING", "HOSPITAL_UNKNOWN")
ALL_DEFECTS = (*PUBLIC_RETURN_WEIGHTS, *MANUAL_DEFECTS, "DUPLICATE_FILE", "OFFSITE_FILING_REMINDER")

# Which (region, kind) each defect can occur in.
_LN, _LR, _FR = ("linfen", "new"), ("linfen", "renewal"), ("fangchenggang", "renewal")
COMPAT: dict[str, tuple[tuple[str, str], ...]] = {
    "SEAL_MISSING_DIAG": (_LN, _LN, _LR), "SEAL_MISSING_EXAM": (_LN, _LR), "STAGE_NOT_MET": (_LN,),
    "DIAGNOSIS_MISMATCH": (_LN, _LR), "HOSPITAL_NOT_ELIGIBLE": (_LN,), "HOSPITAL_UNKNOWN": (_LN,),
    "SIGNATURE_MISSING": (_LN,), "RENEWAL_OUT_OF_WINDOW": (_LR, _FR, _FR), "OFFSITE_FILING_REMINDER": (_FR,),
}
BASE_KINDS = ((_LN, 45), (_LR, 20), (_FR, 35))
LINFEN_RENEWAL_DISEASES = ("CA", "CA", "TX", "CKD", "CHD", "STK", "COPD", "PD", "SCZ", "AA")


@dataclass
class FileSpec:
    """One manifest entry: what the file shows and how it was captured (or how it is broken)."""

    key: str
    slot: str
    doc: DocContent | None
    capture: str = "scan"
    corrupt: str | None = None  # empty, truncated, garbage, html, absent
    duplicate_of: str | None = None
    detected_type: str | None = None
    legible: bool = True
    name: str = ""
    touched: bool = False


@dataclass
class Expected:
    code: str
    slot: str | None
    file_key: str | None = None
    slots_ok: list[str | None] = field(default_factory=list)


@dataclass
class PacketPlan:
    application_id: str
    region: str
    kind: str
    submitted_on: date
    applicant: Person
    manifest_id_number: str
    insurance: str
    retired: bool
    local_household: bool
    resides_offsite: bool
    disease: str
    disease_code: str | None
    agent: Person | None
    agent_relation: str | None
    valid_until: date | None
    files: list[FileSpec]
    expected: list[Expected]
    defects: list[str]
    diag_stage: str | None = None

    @property
    def status(self) -> str:
        return derive_status([severity_of(C(e.code)) for e in self.expected]).value


class Planner:
    """Draws packet plans from a policy book and a mix."""

    def __init__(self, book: PolicyBook, mix: str = "public") -> None:
        if mix not in ("public", "uniform"):
            raise ValueError(f"unknown mix {mix!r}")
        self.book = book
        self.mix = mix
        self.by_code = {d.code: d for d in book.catalog.diseases}

    # -- policy look-ups -----------------------------------------------------------
    def covered(self, region: str) -> list[str]:
        return [d.code for d in self.book.catalog.diseases if self.book.region_terms(region, d) is not None]

    def criterion(self, region: str, code: str) -> bool:
        terms = self.book.region_terms(region, self.by_code[code])
        return bool(terms and terms.criterion)

    def hospitals(self, region: str, *, eligible: bool | None = None) -> list[str]:
        out = []
        for h in self.book.all_hospitals:
            if h.region != region:
                continue
            ok = h.level >= 2 and h.ownership == "public"
            if eligible is None or ok == eligible:
                out.append(h.name)
        return out

    def max_age(self, region: str, kind: str, slot: str) -> int | None:
        rule = self.book.regions[region].kinds[kind].materials.get(slot)  # type: ignore[call-overload]
        return rule.max_age_months if rule else None

    def rule(self, region: str, kind: str, slot: str, attr: str) -> bool:
        rule = self.book.regions[region].kinds[kind].materials.get(slot)  # type: ignore[call-overload]
        return bool(rule and getattr(rule, attr))

    # -- defects -------------------------------------------------------------------
    def pick_defects(self, rng: random.Random) -> list[str]:
        if self.mix == "uniform":
            if rng.random() < 0.08:
                return []
            first = rng.choice(ALL_DEFECTS)
        else:
            r = rng.random()
            if r < 0.30:
                return ["DUPLICATE_FILE"] if rng.random() < 0.08 else []
            if r < 0.38:
                first = rng.choice(MANUAL_DEFECTS)
            else:
                names = list(PUBLIC_RETURN_WEIGHTS)
                first = rng.choices(names, weights=[PUBLIC_RETURN_WEIGHTS[n] for n in names])[0]
        defects = [first]
        if rng.random() < 0.2:
            second = rng.choice([d for d in ALL_DEFECTS if d != first])
            defects.append(second)
        return defects

    def pick_kind(self, rng: random.Random, defects: list[str]) -> tuple[tuple[str, str], list[str]]:
        options = [k for k, _ in BASE_KINDS]
        weights = [w for _, w in BASE_KINDS]
        kept: list[str] = []
        for d in defects:
            allowed = set(COMPAT.get(d, options))
            cand = [(o, w) for o, w in zip(options, weights, strict=True) if o in allowed]
            if not cand:
                continue
            options = [o for o, _ in cand]
            weights = [w for _, w in cand]
            kept.append(d)
        return rng.choices(options, weights=weights)[0], kept


def _working_day(rng: random.Random, start: date, end: date) -> date:
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days))
        if d.weekday() < 5:
            return d


def _ago(rng: random.Random, ref: date, lo_days: int, hi_days: int) -> date:
    return ref - timedelta(days=rng.randrange(lo_days, hi_days + 1))


def plan_packet(planner: Planner, rng: random.Random, index: int, seed: int) -> PacketPlan:
    """Plan one packet: draw defects, a compatible region/kind, people, dates and materials."""
    defects = planner.pick_defects(rng)
    (region, kind), defects = planner.pick_kind(rng, defects)
    submitted = _working_day(rng, date(2025, 1, 6), date(2025, 11, 28))
    prefix = "LF" if region == "linfen" else "FCG"
    app_id = f"{prefix}-2025-{(seed % 97) * 10000 + index + 1:06d}"

    local = not (rng.random() < (0.18 if kind == "new" else 0.1))
    applicant = make_person(rng, region, local=local, min_age=30, max_age=86, on=submitted)
    offsite = region == "fangchenggang" and (rng.random() < 0.15 or "OFFSITE_FILING_REMINDER" in defects)
    if region == "fangchenggang" and "OFFSITE_FILING_REMINDER" not in defects and offsite:
        defects.append("OFFSITE_FILING_REMINDER")
    agent = None
    relation = None
    if rng.random() < 0.25 or "AGENT_MATERIALS_MISSING" in defects:
        relation = rng.choice(("子女", "子女", "配偶", "兄弟姐妹", "其他亲属"))
        agent = make_person(rng, region, min_age=22, max_age=60, on=submitted,
                            surname=applicant.name[0] if relation == "子女" and rng.random() < 0.7 else None,
                            exclude_names=(applicant.name,))

    # disease
    covered = planner.covered(region)
    if "DISEASE_NOT_COVERED" in defects:
        not_cov = [c for c in ("LC", "TX") if c not in covered]
        if not_cov and rng.random() < 0.6:
            code: str | None = rng.choice(not_cov)
            disease_name = planner.by_code[code].name
            diag_text, stage = content.diagnosis_for(rng, code)
        else:
            code = None
            disease_name, diag_text = rng.choice(content.UNCOVERED)
            stage = None
    else:
        if "STAGE_NOT_MET" in defects:
            code = rng.choice(("HBP", "DM"))
        elif "DIAGNOSIS_MISMATCH" in defects:
            code = rng.choice([c for c in covered if not planner.criterion(region, c) and c in content.DIAGNOSIS_QUALIFYING])
        elif region == "linfen" and kind == "renewal":
            code = rng.choice(LINFEN_RENEWAL_DISEASES)
        else:
            weights = {"HBP": 12, "DM": 12, "CA": 8, "CKD": 4, "CHD": 4, "STK": 3, "COPD": 3, "LC": 3}
            code = rng.choices(covered, weights=[weights.get(c, 1) for c in covered])[0]
        disease_name = planner.by_code[code].name
        diag_text, stage = content.diagnosis_for(rng, code, qualifying="STAGE_NOT_MET" not in defects)
    applied = disease_name
    if code and rng.random() < 0.25:
        entry = planner.by_code[code]
        applied = code if rng.random() < 0.3 else rng.choice(entry.all_names)

    valid_until = None
    if kind == "renewal":
        valid_until = submitted + timedelta(days=rng.randrange(12, 80 if region == "fangchenggang" else 150))
        if "RENEWAL_OUT_OF_WINDOW" in defects:
            if region == "fangchenggang" and rng.random() < 0.5:
                valid_until = add_months(submitted, 3) + timedelta(days=rng.randrange(15, 120))
            else:
                valid_until = submitted - timedelta(days=rng.randrange(10, 120))

    plan = PacketPlan(app_id, region, kind, submitted, applicant, applicant.id_number,
                      rng.choice(("employee", "employee", "resident")), applicant.age_on(submitted) >= 60,
                      local, offsite, applied, code, agent, relation, valid_until, [], [], defects, stage)
    _materials(planner, plan, rng, diag_text, stage, disease_name)
    _apply_defects(planner, plan, rng, diag_text)
    _name_files(plan, rng)
    return plan


# -- materials ---------------------------------------------------------------------------
def _doc(plan: PacketPlan, content_type: str, **kw) -> DocContent:
    return DocContent(content=content_type, person=kw.pop("person", plan.applicant), region=plan.region,
                      submitted_on=plan.submitted_on, kind=plan.kind, **kw)


def _materials(planner: Planner, plan: PacketPlan, rng: random.Random, diag_text: str, stage: str | None,
               disease_name: str) -> None:
    r, k, sub = plan.region, plan.kind, plan.submitted_on
    eligible = planner.hospitals(r, eligible=True)
    any_h = planner.hospitals(r)
    main_h = rng.choice(eligible)
    code = plan.disease_code
    files: list[FileSpec] = []

    def add(key: str, slot: str, doc: DocContent) -> None:
        files.append(FileSpec(key, slot, doc))

    def exam_date(slot: str = "exam_report") -> date:
        limit = planner.max_age(r, k, slot)
        days = (limit * 30 - 35) if limit else 330
        return _ago(rng, sub, 2, max(10, days))

    kinds = content.EXAM_KINDS_BY_DISEASE.get(code or "", ("lab", "ultrasound", "ct"))
    add("id", "id_card", _doc(plan, "id_card"))
    if not plan.local_household and ((r == "linfen" and k == "new") or rng.random() < 0.5):
        add("rp", "residence_permit", _doc(plan, "residence_permit"))
    diag_common = {"hospital": main_h, "disease_code": code, "disease_name": disease_name, "diagnosis": diag_text,
                   "stage": stage}
    if r == "linfen":
        if k == "new" or rng.random() < 0.5 or "DIAGNOSIS_MISMATCH" in plan.defects or "SEAL_MISSING_DIAG" in plan.defects:
            add("diag", "diagnosis_certificate", _doc(plan, "diagnosis_certificate", issue_date=_ago(rng, sub, 3, 200),
                                                       **diag_common))
        for i in range(rng.choice((1, 1, 2))):
            add(f"exam{i}", "exam_report", _doc(plan, "exam_report", issue_date=exam_date(), hospital=rng.choice(
                eligible if rng.random() < 0.9 else any_h), disease_code=code, disease_name=disease_name,
                exam_kind=rng.choice(kinds), pages=2 if rng.random() < 0.15 else 1, blue_seal=rng.random() < 0.05))
        add("form", "application_form", _doc(plan, "application_form", issue_date=_ago(rng, sub, 0, 20),
                                             **diag_common))
        if k == "renewal" and rng.random() < 0.6:
            add("prev", "previous_approval", _prev(plan, rng, disease_name))
        if rng.random() < 0.3:
            add("rec", "medical_record", _doc(plan, "medical_record", issue_date=_ago(rng, sub, 1, 200), **diag_common))
        if rng.random() < 0.2:
            add("med", "medication_record", _doc(plan, "medication_record", issue_date=_ago(rng, sub, 1, 200),
                                                 **diag_common))
    else:
        add("form", "application_form", _doc(plan, "application_form", issue_date=_ago(rng, sub, 0, 20), signed=True,
                                             **{**diag_common, "hospital": rng.choice(any_h)}))
        add("prev", "previous_approval", _prev(plan, rng, disease_name))
        clinical = rng.sample(["medical_record", "exam_report", "medication_record"], rng.choice((1, 2, 2, 3)))
        for slot in clinical:
            h = rng.choice(any_h)
            if slot == "exam_report":
                doc = _doc(plan, slot, issue_date=exam_date(slot), hospital=h, disease_code=code,
                           disease_name=disease_name, exam_kind=rng.choice(kinds), sealed=rng.random() < 0.8)
            else:
                doc = _doc(plan, slot, issue_date=exam_date(slot), hospital=h, disease_code=code,
                           disease_name=disease_name, diagnosis=diag_text, stage=stage, sealed=rng.random() < 0.5)
            add(slot, slot, doc)
    if plan.agent is not None:
        add("poa", "power_of_attorney", _doc(plan, "power_of_attorney", agent=plan.agent,
                                             issue_date=_ago(rng, sub, 0, 15)))
        add("aid", "agent_id_card", _doc(plan, "id_card", person=plan.agent))
    for f in files:
        f.detected_type = f.slot if f.slot != "agent_id_card" else "id_card"
    plan.files = files


def _prev(plan: PacketPlan, rng: random.Random, disease_name: str) -> DocContent:
    vu = plan.valid_until or add_months(plan.submitted_on, 6)
    approved = months_before(vu, 12 * rng.choice((1, 2, 3))) + timedelta(days=1)
    return _doc(plan, "previous_approval", issue_date=approved, disease_name=disease_name, valid_until=vu)


def _find(plan: PacketPlan, slots: tuple[str, ...], rng: random.Random, *, untouched: bool = True) -> FileSpec | None:
    cand = [f for f in plan.files if f.slot in slots and f.doc is not None and not (untouched and f.touched)
            and f.corrupt is None and f.duplicate_of is None]
    return rng.choice(cand) if cand else None


def _expect(plan: PacketPlan, code: str, f: FileSpec | None, slot: str | None = None) -> None:
    plan.expected.append(Expected(code, f.slot if f else slot, f.key if f else None))
    if f:
        f.touched = True


def _apply_defects(planner: Planner, plan: PacketPlan, rng: random.Random, diag_text: str) -> None:
    r, k, sub = plan.region, plan.kind, plan.submitted_on
    dated_slots = tuple(s for s in ("diagnosis_certificate", "exam_report", "medical_record", "medication_record")
                        if planner.rule(r, k, s, "date_required"))
    applied: list[str] = []
    for d in list(plan.defects):
        ok = True
        if d == "SEAL_MISSING_DIAG":
            f = _find(plan, ("diagnosis_certificate",), rng)
            if f:
                f.doc.sealed = False
                _expect(plan, "SEAL_MISSING", f)
            ok = f is not None
        elif d == "SEAL_MISSING_EXAM":
            f = _find(plan, ("exam_report",), rng)
            if f:
                f.doc.sealed = False
                _expect(plan, "SEAL_MISSING", f)
            ok = f is not None
        elif d == "REPORT_EXPIRED":
            slots = tuple(s for s in ("exam_report", "medical_record", "medication_record") if planner.max_age(r, k, s))
            f = _find(plan, slots, rng)
            if f:
                limit = planner.max_age(r, k, f.slot) or 12
                f.doc.issue_date = months_before(sub, limit) - timedelta(days=rng.randrange(25, 420))
                _expect(plan, "REPORT_EXPIRED", f)
            ok = f is not None
        elif d == "DATE_IN_FUTURE":
            f = _find(plan, dated_slots, rng)
            if f:
                f.doc.issue_date = sub + timedelta(days=rng.choice((rng.randrange(5, 90), 365)))
                _expect(plan, "DATE_IN_FUTURE", f)
            ok = f is not None
        elif d == "DATE_MISSING":
            f = _find(plan, dated_slots, rng)
            if f:
                f.doc.issue_date = None
                _expect(plan, "DATE_MISSING", f)
            ok = f is not None
        elif d == "MATERIAL_MISSING":
            ok = _drop_required(planner, plan, rng)
        elif d == "AGENT_MATERIALS_MISSING":
            f = _find(plan, ("power_of_attorney", "agent_id_card"), rng)
            if f:
                plan.files.remove(f)
                _expect(plan, "AGENT_MATERIALS_MISSING", None, f.slot)
            ok = f is not None
        elif d in ("STAGE_NOT_MET", "DIAGNOSIS_MISMATCH", "HOSPITAL_NOT_ELIGIBLE", "HOSPITAL_UNKNOWN"):
            f = _find(plan, ("diagnosis_certificate",), rng, untouched=False)
            ok = f is not None
            if f and d == "DIAGNOSIS_MISMATCH":
                others = [c for c in planner.covered(r) if c != plan.disease_code and not planner.criterion(r, c)
                          and c in content.DIAGNOSIS_QUALIFYING]
                other = rng.choice(others)
                text, other_stage = content.diagnosis_for(rng, other)
                f.doc.diagnosis, f.doc.disease_code, f.doc.stage = text, other, other_stage
                form = _find(plan, ("application_form",), rng, untouched=False)
                if form:
                    form.doc.diagnosis = None
            elif f and d in ("HOSPITAL_NOT_ELIGIBLE", "HOSPITAL_UNKNOWN"):
                f.doc.hospital = rng.choice(planner.hospitals(r, eligible=False) if d == "HOSPITAL_NOT_ELIGIBLE"
                                            else content.UNKNOWN_HOSPITALS[r])
                # a certificate has one issuer: a hospital defect drawn before on this file is replaced
                plan.expected = [e for e in plan.expected if not (
                    e.file_key == f.key and e.code in ("HOSPITAL_NOT_ELIGIBLE", "HOSPITAL_UNKNOWN"))]
            if f:
                _expect(plan, d, f)
        elif d == "SIGNATURE_MISSING":
            f = _find(plan, ("application_form",), rng)
            if f:
                f.doc.signed = False
                _expect(plan, d, f)
            ok = f is not None
        elif d == "IDENTITY_MISMATCH":
            slots = ("id_card", "exam_report", "diagnosis_certificate", "medical_record", "agent_id_card")
            f = _find(plan, slots, rng)
            if f:
                who = plan.agent if f.slot == "agent_id_card" and plan.agent else plan.applicant
                f.doc.person = make_person(rng, r, on=sub, exclude_names=(who.name, plan.applicant.name))
                _expect(plan, d, f)
            ok = f is not None
        elif d == "ID_NUMBER_INVALID":
            bad = break_check_digit(plan.applicant.id_number)
            plan.manifest_id_number = bad
            person = replace(plan.applicant, id_number=bad)
            for f in plan.files:
                if f.doc is not None and f.doc.person is plan.applicant:
                    f.doc.person = person
            plan.applicant = person
            _expect(plan, d, None)
        elif d in ("RENEWAL_OUT_OF_WINDOW", "OFFSITE_FILING_REMINDER", "DISEASE_NOT_COVERED"):
            _expect(plan, d, None)
        elif d in ("UNREADABLE_FILE", "WRONG_DOCUMENT", "ILLEGIBLE", "DUPLICATE_FILE"):
            ok = True  # extra files, added below once the other defects are settled
        if ok:
            applied.append(d)
    for d in applied:
        if d == "UNREADABLE_FILE":
            src = _find(plan, tuple(sorted({f.slot for f in plan.files})), rng, untouched=False)
            slot = src.slot if src else "exam_report"
            extra = FileSpec("bad", slot, src.doc if src else None, corrupt=rng.choice(
                ("empty", "truncated", "truncated", "garbage", "html", "absent")), detected_type="unknown")
            plan.files.insert(rng.randrange(len(plan.files) + 1), extra)
            _expect(plan, "UNREADABLE_FILE", extra)
        elif d == "WRONG_DOCUMENT":
            choices = [("id_card", "exam_report"), ("id_card", "diagnosis_certificate"), ("exam_report", "id_card"),
                       ("power_of_attorney", "exam_report"), ("previous_approval", "medical_record")]
            content_type, slot = rng.choice(choices)
            if content_type == "power_of_attorney" and plan.agent is None:
                content_type = "id_card"
            if slot == "diagnosis_certificate" and r != "linfen":
                slot = "medical_record"
            kw: dict = {}
            if content_type == "exam_report":
                kw = {"issue_date": _ago(rng, sub, 5, 60), "hospital": rng.choice(planner.hospitals(r, eligible=True)),
                      "exam_kind": "lab", "disease_name": plan.disease}
            elif content_type == "power_of_attorney":
                kw = {"agent": plan.agent, "issue_date": _ago(rng, sub, 0, 10)}
            elif content_type == "previous_approval":
                kw = {"issue_date": _ago(rng, sub, 400, 700), "disease_name": plan.disease,
                      "valid_until": plan.valid_until or add_months(sub, 3)}
            doc = _doc(plan, content_type, **kw)
            extra = FileSpec("wrong", slot, doc, detected_type=content_type)
            plan.files.insert(rng.randrange(len(plan.files) + 1), extra)
            _expect(plan, "WRONG_DOCUMENT", extra)
        elif d == "ILLEGIBLE":
            if r == "linfen":
                slot = rng.choice(("medical_record", "medication_record"))
                plan.files = [f for f in plan.files if f.slot != slot]
                doc = _doc(plan, slot, issue_date=_ago(rng, sub, 5, 120), hospital=rng.choice(planner.hospitals(r)),
                           disease_code=plan.disease_code, disease_name=plan.disease, diagnosis=diag_text,
                           stage=plan.diag_stage)
            else:
                slot = "id_card"
                doc = _doc(plan, "id_card", variant="front")
            extra = FileSpec("blur", slot, doc, capture="illegible_photo", detected_type=slot, legible=False)
            plan.files.append(extra)
            _expect(plan, "ILLEGIBLE", extra)
        elif d == "DUPLICATE_FILE":
            src = _find(plan, ("exam_report", "medical_record", "id_card", "medication_record", "previous_approval"), rng)
            if src is None:
                continue
            dup = FileSpec("dup", src.slot, src.doc, duplicate_of=src.key, detected_type=src.detected_type)
            plan.files.insert(plan.files.index(src) + 1 + rng.randrange(len(plan.files) - plan.files.index(src)), dup)
            src.touched = True
            plan.expected.append(Expected("DUPLICATE_FILE", src.slot, dup.key))
    plan.defects = applied
    for e in plan.expected:
        if not e.slots_ok:
            e.slots_ok = [e.slot]


def _drop_required(planner: Planner, plan: PacketPlan, rng: random.Random) -> bool:
    policy = planner.book.regions[plan.region].kinds[plan.kind]  # type: ignore[index]
    flags = {"local_household": plan.local_household, "resides_offsite": plan.resides_offsite}
    single = []
    for req in policy.required:
        if len(req.slots) != 1 or any(flags.get(key) != val for key, val in req.when.items()):
            continue
        slot = req.slots[0].value
        present = [f for f in plan.files if f.slot == slot]
        if present and not any(f.touched for f in present):
            single.append(slot)
    if not single:
        return False
    slot = rng.choice(single)
    plan.files = [f for f in plan.files if f.slot != slot]
    plan.expected.append(Expected("MATERIAL_MISSING", slot))
    return True


# -- file names and captures ----------------------------------------------------------------
_NAMES = {
    "id_card": ("id_card", "身份证", "sfz", "社保卡"), "residence_permit": ("residence_permit", "居住证", "jzz"),
    "diagnosis_certificate": ("diagnosis", "诊断证明", "zdzm", "诊断书"),
    "exam_report": ("exam_report", "检查报告", "ct_report", "化验单", "report"),
    "medical_record": ("medical_record", "门诊病历", "病历"), "medication_record": ("prescription", "处方", "用药记录"),
    "application_form": ("form", "申请表", "续办申请表"), "previous_approval": ("approval", "审批表", "原认定审批表"),
    "power_of_attorney": ("poa", "委托书", "授权委托书"), "agent_id_card": ("agent_id", "代办人身份证"),
}


def pick_capture(rng: random.Random, f: FileSpec, card: bool, pages: int) -> str:
    """A capture kind fitting the document (cards are photographed, multi-page files are PDF or TIFF)."""
    if f.capture == "illegible_photo":
        return f.capture
    if pages > 1:
        return rng.choice(("pdf_text", "pdf_image", "tiff_multipage"))
    if card:
        return rng.choices(("phone_photo", "phone_photo_exif", "scan", "scan_grey", "photocopy"), weights=(5, 2, 2, 1, 1))[0]
    weights = {"scan": 3, "scan_grey": 1, "photocopy": 1.5, "phone_photo": 4, "phone_photo_exif": 1, "rotated_scan": 1,
               "pdf_text": 1.5 if f.doc and f.doc.content in ("exam_report", "diagnosis_certificate", "medical_record",
                                                                "medication_record") else 0.3,
               "pdf_image": 1, "tiff_multipage": 0.5}
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name_files(plan: PacketPlan, rng: random.Random) -> None:
    used: set[str] = set()
    style = rng.choice(("descriptive", "camera", "mixed"))
    for i, f in enumerate(plan.files):
        if style == "camera" or (style == "mixed" and rng.random() < 0.5):
            stem = rng.choice(("IMG_2025{:04d}_{:06d}", "微信图片_2025{:04d}{:06d}", "mmexport{:04d}{:06d}", "scan{:04d}_{:06d}"))
            stem = stem.format(rng.randrange(101, 1231), rng.randrange(10**5, 10**6))
        else:
            stem = rng.choice(_NAMES[f.slot])
        base = stem
        n = 2
        while base in used:
            base = f"{stem}_{n}"
            n += 1
        used.add(base)
        f.name = base
        del i


def severity(code: str) -> Severity:
    return severity_of(C(code))
