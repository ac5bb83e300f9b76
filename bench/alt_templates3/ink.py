"""Ink of the third family: physicians' signatures and name seals, hospital and agency seals placed where
real ones land (over the date, across the signature, turned, hanging off the sheet's edge), thumbprints.

Each mark is recorded in the document's ``Marks`` the way the generator records it, so the truth follows
what was drawn: hospital seals as ``hospital_round`` / ``hospital_oval``, an agency's as ``agency``, red
non-seal ink (name seals, thumbprints) by name.
"""

from __future__ import annotations

from PIL import Image

from bench.alt_templates3.sheet import Doc
from samples.generator import stamps
from samples.generator.canvas import Box
from samples.generator.people import make_name


def doctor(doc: Doc) -> str:
    return make_name(doc.rng, doc.rng.random() < 0.5)


def _turn(img: Image.Image, deg: float) -> tuple[Image.Image, float, float]:
    """The impression turned by ``deg`` more (a seal pressed askew); size in mm."""
    if deg:
        img = img.rotate(deg, expand=True, resample=Image.Resampling.BILINEAR)
    return img, img.width / stamps.PX_PER_MM, img.height / stamps.PX_PER_MM


def sign(doc: Doc, x: float, y: float, role: str, *, chop_ok: bool = True, typed_ok: bool = True,
         max_w: float | None = None, name: str | None = None) -> Box:
    """A physician's mark from ``x`` on baseline ``y``: a pen signature (often crossing the label before it),
    a small square name seal, or a typed name. Lists ``"签名:<role>"`` in ``texts``; returns its box."""
    rng = doc.rng
    name = name or doctor(doc)
    doc.texts.append(f"签名:{role}")
    r = rng.random()
    if chop_ok and r < 0.15:
        return chop(doc, x, y, name)
    if typed_ok and r < 0.27:
        return doc.text(x, y, name, font="kai" if rng.random() < 0.6 else doc.font)
    img, w, h = stamps.signature(rng, name, rng.uniform(6.0, 8.5))
    if max_w and w > max_w:
        w, h = max_w, h * max_w / w
    # a hurried hand starts a little left and above: the stroke often runs into the printed label
    dx = -rng.uniform(0, 4) if rng.random() < 0.4 else rng.uniform(0, 2)
    box = Box(x + dx, y - h * rng.uniform(0.7, 0.85), w, h)
    doc.page.image(box, img)
    if chop_ok and rng.random() < 0.2:  # signed and stamped with the name seal beside it
        return chop(doc, box.x + box.w + 1, y, name)
    return box


def chop(doc: Doc, x: float, y: float, name: str) -> Box:
    """A doctor's small square name seal (私章) standing on baseline ``y`` from ``x``."""
    img, s = stamps.name_seal(doc.rng, name)
    s *= doc.rng.uniform(0.75, 0.95)  # an outpatient doctor's seal is small: 10-15 mm
    box = Box(x, y - s * 0.78, s, s)
    doc.page.image(box, img)
    doc.marks.add_red("name_seal")
    return box


def hospital_seal(doc: Doc, cx: float, cy: float, purpose: str | None, *, oval: bool = False, turn: float = 0.0,
                  force: bool = False) -> Box | None:
    """The hospital's seal centred near (cx, cy), when the spec says the document is sealed (or ``force``)."""
    spec, rng = doc.spec, doc.rng
    if not spec.hospital or not (spec.sealed or force):
        return None
    colour = rng.choice(stamps.SEAL_BLUES) if spec.blue_seal else None
    if oval and purpose:
        img, _w, _h = stamps.oval_seal(rng, spec.hospital, purpose, colour=colour)
        kind = "hospital_oval"
    else:
        img, _d = stamps.round_seal(rng, spec.hospital, purpose, colour=colour)
        kind = "hospital_round"
    img, w, h = _turn(img, turn)
    box = Box(cx - w / 2 + rng.uniform(-2.5, 2.5), cy - h / 2 + rng.uniform(-2.5, 2.5), w, h)
    doc.page.image(box, img)
    doc.marks.seals.append(kind)
    return box


def seal_spot(doc: Doc, anchor: Box, *, edge_ok: bool = True) -> tuple[float, float, float]:
    """Where a clerk presses the seal relative to ``anchor`` (the date or the signature): centred over it,
    half over its right end, or slid towards the sheet's right edge so a part falls off the paper.
    Returns (cx, cy, extra turn in degrees)."""
    rng = doc.rng
    mode = rng.choices(["over", "right", "edge"], [5, 3, 2 if edge_ok else 0])[0]
    turn = rng.choice([0.0, 0.0, rng.uniform(-35, 35)])
    if mode == "over":
        return anchor.cx + rng.uniform(-4, 4), anchor.cy - rng.uniform(0, 4), turn
    if mode == "right":
        return anchor.x + anchor.w + rng.uniform(-6, 2), anchor.cy - rng.uniform(2, 6), turn
    # about a fifth of a 40 mm seal off the right edge, still over the anchor's line
    return doc.page.w - rng.uniform(11, 15), anchor.cy - rng.uniform(0, 5), turn


def agency_seal(doc: Doc, name: str, purpose: str | None, cx: float, cy: float, *, turn: float = 0.0) -> Box | None:
    """The insurance agency's (or a community's) round seal, when the spec says the document is sealed."""
    if not doc.spec.sealed:
        return None
    img, _d = stamps.round_seal(doc.rng, name, purpose)
    img, w, h = _turn(img, turn)
    box = Box(cx - w / 2 + doc.rng.uniform(-2, 2), cy - h / 2 + doc.rng.uniform(-2, 2), w, h)
    doc.page.image(box, img)
    doc.marks.seals.append("agency")
    return box


def own_name(doc: Doc, x: float, y: float, name: str, *, size_mm: float | None = None) -> Box:
    """A lay person's own handwritten name on baseline ``y``; listed in ``texts``."""
    img, w, h = stamps.handwriting(doc.rng, name, size_mm or doc.rng.uniform(5.5, 7.0), colour=doc.pen)
    box = Box(x, y - h * 0.72, w, h)
    doc.page.image(box, img)
    doc.texts.append(name)
    return box


def thumb(doc: Doc, x: float, y: float) -> Box:
    """A red fingerprint pressed over or beside a signature."""
    img, w, h = stamps.thumbprint(doc.rng)
    box = Box(x, y - h * 0.65, w, h)
    doc.page.image(box, img)
    doc.marks.add_red("thumbprint")
    return box


def tick(doc: Doc, x: float, y: float) -> None:
    """A pen tick (✓) in a printed box whose baseline is ``y``."""
    img, s = stamps.scribble_tick(doc.rng, doc.pen)
    doc.page.image(Box(x - s * 0.1, y - s * 0.8, s, s), img)
