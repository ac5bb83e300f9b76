"""Reports in a real browser: headless Chromium loads them with every image and no console error,
on a desktop and on a phone-sized screen, and the batch index filters and sorts."""

from __future__ import annotations

import os

import pytest

import reports
from flows.outputs import write_rejection, write_verdict
from models.codes import FindingCode
from models.verdict import PacketRejection
from reports.browser import BrowserError, open_browser
from tests.verdicts import expected_image_count, finding, make_verdict, write_evidence_packet

pytestmark = pytest.mark.browser
REQUIRE_ENV = "PRECHECK_REQUIRE_BROWSER"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def browser():
    try:
        with open_browser() as running:
            yield running
    except BrowserError as exc:
        if os.environ.get(REQUIRE_ENV):
            raise
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """GIVEN an OUT folder with a returned packet (crops, seals, thumbnails), a passed one and a rejected folder."""
    root = tmp_path_factory.mktemp("browser") / "out"
    verdict, packet_out = write_evidence_packet(root, "LF-W-0001")
    write_verdict(verdict, packet_out)
    reports.render_packet(verdict, packet_out, region_name="临汾市")
    reports.render_packet(verdict, packet_out, embed_images=False, index_href=None)
    (packet_out / "report.html").rename(packet_out / "report-linked.html")
    reports.render_packet(verdict, packet_out, region_name="临汾市")
    for number, codes in enumerate([[], [FindingCode.HOSPITAL_UNKNOWN], [FindingCode.REPORT_EXPIRED]], start=2):
        other = make_verdict(f"LF-W-000{number}", findings=[finding(code) for code in codes])
        write_verdict(other, root / other.application_id)
        reports.render_packet(other, root / other.application_id)
    write_rejection(PacketRejection(folder="broken", reason="清单不是 JSON 对象"), root / "_rejected" / "broken")
    reports.render_index(root)
    return {"root": root, "verdict": verdict, "packet_out": packet_out}


def assert_clean_load(page, minimum_images: int) -> None:
    images = page.images()
    log = page.finish()
    assert len(images) >= minimum_images
    assert [i for i in images if not (i["complete"] and i["naturalWidth"] > 0)] == []
    assert log.errors == []
    assert all(url.startswith(("file:", "data:")) for url in log.requests), log.requests


def test_report_loads_with_every_image_and_no_console_error(browser, out, tmp_path):
    page = browser.open((out["packet_out"] / "report.html").as_uri(), width=1100, height=900)
    assert_clean_load(page, expected_image_count(out["verdict"]))
    assert "建议退回补正" in page.evaluate("document.getElementById('status').textContent")
    assert page.evaluate("document.querySelectorAll('article.finding').length") == len(out["verdict"].findings)
    shot = page.screenshot(tmp_path / "report.png")
    assert shot.read_bytes().startswith(PNG_MAGIC) and shot.stat().st_size > 20_000


def test_report_fits_a_phone_screen(browser, out, tmp_path):
    page = browser.open((out["packet_out"] / "report.html").as_uri(), width=390, height=844, mobile=True, scale=2)
    assert_clean_load(page, expected_image_count(out["verdict"]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("Math.max(...Array.from(document.images).map(i => i.getBoundingClientRect().right))") <= 390
    page.screenshot(tmp_path / "phone.png", full_page=False)


def test_report_with_linked_image_files_loads(browser, out):
    page = browser.open((out["packet_out"] / "report-linked.html").as_uri())
    assert_clean_load(page, expected_image_count(out["verdict"]))
    assert page.evaluate("Array.from(document.images).every(i => i.src.startsWith('file:'))")


def test_index_filters_and_sorts(browser, out):
    page = browser.open((out["root"] / "index.html").as_uri(), width=1100)
    assert_clean_load(page, 0)
    visible = "Array.from(document.querySelectorAll('#packets tbody tr')).filter(r => !r.hidden).length"
    assert page.evaluate(visible) == 5
    page.evaluate("(s => { s.value = 'return'; s.dispatchEvent(new Event('input')); })(document.getElementById('f-status'))")
    assert page.evaluate(visible) == 2
    assert page.evaluate("document.getElementById('shown').textContent") == "2"
    page.evaluate("(s => { s.value = 'SEAL_MISSING'; s.dispatchEvent(new Event('input')); })(document.getElementById('f-code'))")
    assert page.evaluate(visible) == 1
    page.evaluate("(s => { s.value = ''; s.dispatchEvent(new Event('input')); })(document.getElementById('f-status'))")
    page.evaluate("(s => { s.value = ''; s.dispatchEvent(new Event('input')); })(document.getElementById('f-code'))")
    page.evaluate("(s => { s.value = 'lf-w-0003'; s.dispatchEvent(new Event('input')); })(document.getElementById('f-text'))")
    assert page.evaluate(visible) == 1
    page.evaluate("(s => { s.value = ''; s.dispatchEvent(new Event('input')); })(document.getElementById('f-text'))")
    ids = "Array.from(document.querySelectorAll('#packets tbody tr td:first-child')).map(c => c.dataset.sort)"
    page.evaluate("document.querySelector('#packets thead th').click()")
    ascending = page.evaluate(ids)
    page.evaluate("document.querySelector('#packets thead th').click()")
    assert page.evaluate(ids) == list(reversed(ascending)) and ascending == sorted(ascending, key=str.lower)
    assert page.finish().errors == []


def test_index_link_opens_the_packet_report(browser, out):
    page = browser.open((out["root"] / "index.html").as_uri())
    href = page.evaluate("document.querySelector('a[href$=\"LF-W-0001/report.html\"]').href")
    report = browser.open(href)
    assert_clean_load(report, expected_image_count(out["verdict"]))
