"""Packet-level checks that need no reading of images: manifest, files, materials, identity numbers,
disease coverage, renewal window. Each ``check_*`` takes data and returns ``list[Finding]``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from models.codes import FindingCode
from models.evidence import Evidence
from models.finding import Finding, RuleRef
from models.manifest import Manifest, ManifestProblem
from models.policy import DiseaseEntry, KindPolicy, PolicyBook, RegionPolicy
from models.slots import slot_label
from pipeline.diseases import resolve_disease
from pipeline.idnumbers import id_number_problem, mask_id_number
from pipeline.packet import MANIFEST_NAME, PacketFile


def _region_rule(region: RegionPolicy, key: str) -> RuleRef:
    return RuleRef(source=f"policy_data/regions/{region.code}.yaml", key=key, version=region.policy_version)


def check_manifest(problems: tuple[ManifestProblem, ...] | list[ManifestProblem]) -> list[Finding]:
    """One UNREADABLE_FILE finding on the manifest per problem found while parsing it."""
    return [
        Finding(
            code=FindingCode.UNREADABLE_FILE,
            file=MANIFEST_NAME,
            message=f"申请清单有误：{problem.field} {problem.message}",
            evidence=Evidence(stage="manifest", text=problem.field),
        )
        for problem in problems
    ]


def check_files(files: tuple[PacketFile, ...]) -> list[Finding]:
    """UNREADABLE_FILE for each listed file that is absent, empty, unsupported, unsafe or too large."""
    return [
        Finding(
            code=FindingCode.UNREADABLE_FILE,
            file=item.entry.path,
            slot=item.entry.slot,
            message=f"{slot_label(item.entry.slot)}文件无法读取：{item.problem}",
            evidence=Evidence(stage="file", text=item.entry.path),
        )
        for item in files
        if item.problem is not None
    ]


def check_duplicates(files: tuple[PacketFile, ...]) -> list[Finding]:
    """DUPLICATE_FILE (info) for each file whose bytes equal an earlier entry's."""
    first_by_hash: dict[str, PacketFile] = {}
    findings: list[Finding] = []
    for item in files:
        if item.sha256 is None:
            continue
        first = first_by_hash.setdefault(item.sha256, item)
        if first is item:
            continue
        findings.append(
            Finding(
                code=FindingCode.DUPLICATE_FILE,
                file=item.entry.path,
                slot=item.entry.slot,
                message=(
                    f"{slot_label(item.entry.slot)}（{item.entry.path}）与"
                    f"{slot_label(first.entry.slot)}（{first.entry.path}）内容完全相同"
                ),
                evidence=Evidence(stage="file", value=item.sha256[:16]),
            )
        )
    return findings


def kind_policy(manifest: Manifest, region: RegionPolicy) -> KindPolicy | None:
    return region.kinds.get(manifest.kind) if manifest.kind else None


def check_policy_applies(manifest: Manifest, book: PolicyBook) -> list[Finding]:
    """A packet whose region or kind has no policy cannot be pre-checked against anything."""
    if manifest.region is None or manifest.kind is None:
        return []  # already reported as manifest problems
    region = book.regions.get(manifest.region)
    if region is None:
        message = f"参保地区“{manifest.region}”没有可用的政策配置，无法预审"
    elif manifest.kind not in region.kinds:
        kind_zh = {"new": "新申请", "renewal": "续办"}[manifest.kind]
        message = f"{region.name}政策未规定{kind_zh}的材料要求，无法预审"
    else:
        return []
    return [Finding(code=FindingCode.UNREADABLE_FILE, file=MANIFEST_NAME, message=message,
                    evidence=Evidence(stage="manifest", text=f"{manifest.region}/{manifest.kind}"))]


def _applies(when: dict[str, bool], manifest: Manifest) -> bool:
    applicant = manifest.applicant
    for flag, wanted in when.items():
        actual = getattr(applicant, flag, None) if applicant is not None else None
        # An unknown flag counts as requiring the material: never pass on a guess.
        if actual is not None and actual != wanted:
            return False
    return True


def check_required_materials(manifest: Manifest, region: RegionPolicy) -> list[Finding]:
    """MATERIAL_MISSING for each material the region's policy requires that has no listed file."""
    policy = kind_policy(manifest, region)
    if policy is None:
        return []
    present = {entry.slot for entry in manifest.files if entry.slot is not None}
    findings = []
    for index, requirement in enumerate(policy.required):
        if not _applies(requirement.when, manifest) or present.intersection(requirement.slots):
            continue
        findings.append(_material_missing(manifest, region, index))
    return findings


def _material_missing(manifest: Manifest, region: RegionPolicy, index: int, why: str = "") -> Finding:
    """MATERIAL_MISSING for the ``index``-th required material of the manifest's kind."""
    policy = kind_policy(manifest, region)
    assert policy is not None
    requirement = policy.required[index]
    label = requirement.label or "或".join(slot_label(s) for s in requirement.slots)
    return Finding(code=FindingCode.MATERIAL_MISSING, slot=requirement.slots[0], message=f"缺少{label}{why}",
                   rule=_region_rule(region, f"kinds.{manifest.kind}.required[{index}]"))


def check_materials_only_wrong(manifest: Manifest, region: RegionPolicy, wrong_files: set[str]) -> list[Finding]:
    """MATERIAL_MISSING for a required material whose every listed file is another kind of document
    (WRONG_DOCUMENT: an ID card uploaded as the exam report leaves the application without one)."""
    policy = kind_policy(manifest, region)
    if policy is None or not wrong_files:
        return []
    findings = []
    for index, requirement in enumerate(policy.required):
        files = [entry.path for entry in manifest.files if entry.slot in requirement.slots]
        if not _applies(requirement.when, manifest) or not files or not all(f in wrong_files for f in files):
            continue
        findings.append(_material_missing(manifest, region, index, "（上传为该材料的文件是其他证件或材料）"))
    return findings


def check_agent_materials(manifest: Manifest, region: RegionPolicy) -> list[Finding]:
    """AGENT_MATERIALS_MISSING for each agent material missing when an agent applies (代办)."""
    if manifest.agent is None:
        return []
    present = {entry.slot for entry in manifest.files}
    return [
        Finding(
            code=FindingCode.AGENT_MATERIALS_MISSING,
            slot=slot,
            message=f"由代办人办理，但缺少{slot_label(slot)}",
            rule=_region_rule(region, "agent_required"),
        )
        for slot in region.agent_required
        if slot not in present
    ]


def check_id_numbers(manifest: Manifest, today: date | None = None) -> list[Finding]:
    """ID_NUMBER_INVALID for an applicant or agent ID number failing GB 11643 (check digit, birth date)."""
    findings = []
    for role, person in (("申请人", manifest.applicant), ("代办人", manifest.agent)):
        if person is None or person.id_number is None:
            continue
        problem = id_number_problem(person.id_number, today)
        if problem:
            masked = mask_id_number(person.id_number)
            findings.append(
                Finding(
                    code=FindingCode.ID_NUMBER_INVALID,
                    message=f"{role}身份证号码 {masked} 无效：{problem}",
                    evidence=Evidence(stage="manifest", value=masked),
                )
            )
    return findings


def check_missing_person_fields(manifest: Manifest) -> list[Finding]:
    """The identity checks need the applicant's name and number; their absence is a manifest problem."""
    applicant = manifest.applicant
    missing = []
    if applicant is not None:
        if not applicant.name:
            missing.append("applicant.name")
        if not applicant.id_number:
            missing.append("applicant.id_number")
    return check_manifest([ManifestProblem(field=f, message="缺少必填字段") for f in missing])


def check_disease_covered(manifest: Manifest, book: PolicyBook) -> tuple[list[Finding], DiseaseEntry | None]:
    """DISEASE_NOT_COVERED when the disease is not in the catalog or not covered in the region.

    Returns:
        The findings and the resolved catalog entry (None when unknown).
    """
    if manifest.disease is None or manifest.region not in book.regions:
        return [], None
    entry = resolve_disease(manifest.disease, book.catalog)
    rule = RuleRef(source="policy_data/disease_catalog.yaml", key=entry.code if entry else manifest.disease,
                   version=book.catalog.catalog_version)
    region = book.regions[manifest.region]
    if entry is None:
        message = f"申请病种“{manifest.disease}”不在门诊慢特病病种目录中"
    elif book.region_terms(region.code, entry) is None:
        message = f"{region.name}门诊慢特病目录不含“{entry.name}”"
    else:
        return [], entry
    finding = Finding(code=FindingCode.DISEASE_NOT_COVERED, message=message, rule=rule,
                      evidence=Evidence(stage="manifest", text=manifest.disease))
    return [finding], entry


def check_renewal_window(manifest: Manifest, region: RegionPolicy) -> list[Finding]:
    """RENEWAL_OUT_OF_WINDOW: filed before the window opens, or after the approval expired."""
    policy = kind_policy(manifest, region)
    if manifest.kind != "renewal" or policy is None or policy.renewal_window is None:
        return []
    window = policy.renewal_window
    rule = _region_rule(region, "kinds.renewal.renewal_window")
    valid_until = manifest.previous_approval.valid_until if manifest.previous_approval else None
    if valid_until is None or manifest.submitted_on is None:
        return [Finding(code=FindingCode.RENEWAL_OUT_OF_WINDOW, rule=rule,
                        message="续办申请未填写原认定有效期（previous_approval.valid_until），无法确认是否在续办期内")]
    submitted = manifest.submitted_on
    if submitted > valid_until and not window.allow_after_expiry:
        return [Finding(code=FindingCode.RENEWAL_OUT_OF_WINDOW, rule=rule,
                        message=f"原认定已于{valid_until.isoformat()}到期，需按新申请办理",
                        evidence=Evidence(stage="manifest", value=valid_until.isoformat()))]
    if window.months_before_expiry is not None:
        opens = valid_until - relativedelta(months=window.months_before_expiry)
        if submitted < opens:
            return [Finding(code=FindingCode.RENEWAL_OUT_OF_WINDOW, rule=rule,
                            message=f"续办期自{opens.isoformat()}开始（有效期至{valid_until.isoformat()}前"
                                    f"{window.months_before_expiry}个月），提交过早",
                            evidence=Evidence(stage="manifest", value=valid_until.isoformat()))]
    return []


def check_offsite_filing(manifest: Manifest, region: RegionPolicy) -> list[Finding]:
    """OFFSITE_FILING_REMINDER (info) for renewals of applicants residing off-site (异地就医备案)."""
    policy = kind_policy(manifest, region)
    applicant = manifest.applicant
    if policy is None or not policy.offsite_filing_reminder or applicant is None or not applicant.resides_offsite:
        return []
    return [Finding(code=FindingCode.OFFSITE_FILING_REMINDER, rule=_region_rule(region, "offsite_filing_reminder"),
                    message="申请人异地居住：续办须同时办理异地就医备案")]


def group_files_by_slot(files: tuple[PacketFile, ...]) -> dict[str | None, list[PacketFile]]:
    grouped: dict[str | None, list[PacketFile]] = defaultdict(list)
    for item in files:
        grouped[item.entry.slot].append(item)
    return grouped
