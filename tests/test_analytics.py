"""Rejection-reason analytics: database statistics agree with a direct count over the same verdicts,
re-runs never double a count, and every output (table, CSV, JSON, chart, snapshot flow) works."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

import store
from analytics import RejectionStats, stats_from_database, to_csv, to_json
from analytics.chart import cjk_family, write_chart
from analytics.cli import cli_main
from analytics.compute import PUBLIC_HEADLINES, month_key, names_from_policy, week_key
from models.codes import FindingCode
from tests.verdicts import finding, has, is_returned, make_verdict, verdict_population

pytest_plugins = ["tests.pg"]

NOW = datetime(2025, 6, 30, 12, tzinfo=UTC)
POPULATION = verdict_population(seed=5, count=60)


def save_all(engine, verdicts) -> None:
    with store.session_scope(engine) as session:
        for verdict in verdicts:
            store.save_verdict(session, verdict, store.RunInfo(packet_folder=f"/inbox/{verdict.application_id}"))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def populated(request, tmp_path_factory):
    """The population stored once per backend for the read-only tests of this module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('analytics') / 'precheck.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_server").create_database()
    engine = store.open_database(url, None)
    save_all(engine, POPULATION)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(db_url):
    """A fresh database with the population, for tests that change it."""
    engine = store.open_database(db_url, None)
    save_all(engine, POPULATION)
    yield engine
    engine.dispose()


def expected_reasons(verdicts) -> Counter:
    """Returned applications per (code, slot), each application counted once."""
    counts: Counter = Counter()
    for verdict in verdicts:
        if is_returned(verdict):
            counts.update({(f.code.value, f.slot) for f in verdict.findings})
    return counts


def test_counts_agree_with_a_direct_count(populated):
    stats = stats_from_database(populated, now=NOW)
    returned = [v for v in POPULATION if is_returned(v)]
    assert stats.applications == len(POPULATION) and stats.returned == len(returned)
    assert stats.return_share == pytest.approx(len(returned) / len(POPULATION))
    assert sum(stats.status_counts.values()) == len(POPULATION)
    got = {(r.code, r.slot): r.applications for r in stats.reasons_by_slot}
    assert got == dict(expected_reasons(POPULATION))
    for reason in stats.reasons_by_slot:
        assert reason.share == pytest.approx(reason.applications / len(returned))


def test_public_headlines_compare_like_for_like(populated):
    stats = stats_from_database(populated, now=NOW)
    returned = [v for v in POPULATION if is_returned(v)]
    for spec, headline in zip(PUBLIC_HEADLINES, stats.headlines, strict=True):
        count = sum(1 for v in returned if has(v, FindingCode(spec.code), spec.slot))
        assert (headline.code, headline.slot, headline.applications) == (spec.code, spec.slot, count)
        assert headline.share == pytest.approx(count / len(returned))
        assert headline.difference == pytest.approx(count / len(returned) - spec.public_share)
    assert [h.public_share for h in stats.headlines] == [0.35, 0.28]


@pytest.mark.parametrize("dimension, key_of", [
    ("region", lambda v: v.region),
    ("disease", lambda v: v.disease_code),
    ("hospital", lambda v: v.documents[1].hospital or ""),
    ("week", lambda v: week_key(v.submitted_on)),
    ("month", lambda v: month_key(v.submitted_on)),
])
def test_breakdowns_partition_the_applications(populated, dimension, key_of):
    stats = stats_from_database(populated, now=NOW)
    groups = {g.key: g for g in stats.groups[dimension]}
    expected = Counter(key_of(v) for v in POPULATION)
    assert {k: g.applications for k, g in groups.items()} == dict(expected)
    for key, group in groups.items():
        members = [v for v in POPULATION if key_of(v) == key]
        assert group.returned == sum(1 for v in members if is_returned(v))
        assert {(r.code, r.slot): r.applications for r in group.reasons} == dict(expected_reasons(members))
    if dimension in ("week", "month"):
        assert list(groups) == sorted(groups)


def test_slot_breakdown_counts_returns_because_of_each_material(populated):
    stats = stats_from_database(populated, now=NOW)
    returned = [v for v in POPULATION if is_returned(v)]
    for group in stats.groups["slot"]:
        because = [v for v in returned if any(f.slot == group.key and f.severity == "return" for f in v.findings)]
        assert group.returned == len(because) and group.applications == len(POPULATION)
        for reason in group.reasons:
            assert reason.share == pytest.approx(reason.applications / len(returned))


def test_rerunning_packets_never_doubles_a_count(engine):
    """GIVEN every packet stored once WHEN ten are re-run unchanged and five re-run after correction
    THEN applications are counted once and the corrected ones by their new verdict."""
    before = stats_from_database(engine, now=NOW)
    save_all(engine, POPULATION[:10])
    corrected = [v for v in POPULATION if is_returned(v)][:5]
    save_all(engine, [v.model_copy(update={"findings": []}) for v in corrected])
    after = stats_from_database(engine, now=NOW)
    assert after.applications == before.applications
    assert after.returned == before.returned - 5
    assert after.status_counts["pass"] == before.status_counts["pass"] + 5


def test_filters_by_region_and_dates(populated):
    since, until = date(2025, 4, 1), date(2025, 4, 30)
    stats = stats_from_database(populated, region="linfen", since=since, until=until, now=NOW)
    chosen = [v for v in POPULATION if v.region == "linfen" and since <= v.submitted_on <= until]
    assert stats.applications == len(chosen) > 0
    assert stats.filters == {"region": "linfen", "since": "2025-04-01", "until": "2025-04-30"}


def test_empty_database_gives_zeros_not_errors(tmp_path):
    engine = store.open_database(None, tmp_path)
    try:
        stats = stats_from_database(engine, now=NOW)
    finally:
        engine.dispose()
    assert (stats.applications, stats.returned, stats.return_share) == (0, 0, None)
    assert all(h.share is None for h in stats.headlines)
    rows = list(csv.DictReader(io.StringIO(to_csv(stats))))
    assert [r["dimension"] for r in rows] == ["all", "headline", "headline"]


# --- outputs --------------------------------------------------------------------------------------------------------

def test_csv_is_tidy_and_json_round_trips(populated):
    stats = stats_from_database(populated, now=NOW)
    rows = list(csv.DictReader(io.StringIO(to_csv(stats))))
    seal = next(r for r in rows if r["dimension"] == "headline" and r["code"] == "SEAL_MISSING")
    assert seal["slot"] == "diagnosis_certificate" and float(seal["public_share"]) == 0.35
    assert float(seal["share_of_returns"]) == pytest.approx(stats.headlines[0].share, abs=1e-6)
    assert {r["dimension"] for r in rows} == {"all", "region", "disease", "hospital", "slot", "week", "month", "headline"}
    assert RejectionStats.model_validate_json(to_json(stats)) == stats
    assert list(json.loads(to_json(stats, ["region"]))["groups"]) == ["region"]


def test_chart_renders_chinese_labels_without_missing_glyphs(tmp_path):
    engine = store.open_database(None, tmp_path)
    try:
        save_all(engine, POPULATION)
        stats = stats_from_database(engine, now=NOW)
    finally:
        engine.dispose()
    assert "CJK" in cjk_family()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = write_chart(stats, tmp_path / "chart.png", period="week")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 30_000


def test_cli_table_csv_chart_and_snapshot(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    out = tmp_path / "out"
    engine = store.open_database(None, out)
    save_all(engine, POPULATION[:30])
    engine.dispose()
    assert cli_main(["--out", str(out), "--by", "region,slot"]) == 0
    table = capsys.readouterr().out
    assert "与公开数据对比" in table and "诊断证明书未盖章" in table and "按统筹区" in table
    assert cli_main(["--out", str(out), "--format", "csv", "--chart", str(tmp_path / "c.png"), "--save-snapshot"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["dimension"] == "all" and int(rows[0]["applications"]) == 30
    assert (tmp_path / "c.png").is_file()
    engine = store.open_database(None, out)
    try:
        [snapshot] = store.latest_snapshots(engine)
    finally:
        engine.dispose()
    assert snapshot.source == "cli" and snapshot.applications == 30
    assert cli_main(["--out", str(out), "--format", "json", "--output", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["applications"] == 30


def test_cli_refuses_missing_database(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(store.ENV_URL, raising=False)
    assert cli_main([]) == 2
    assert cli_main(["--out", str(tmp_path / "nothing-here")]) == 2
    assert "数据库文件不存在" in capsys.readouterr().out
    assert not (tmp_path / "nothing-here").exists()


# --- the scheduled flow ---------------------------------------------------------------------------------------------

def test_stats_flow_stores_a_snapshot(tmp_path, prefect_harness, policy):
    from flows.stats_flow import stats_flow

    out = tmp_path / "out"
    engine = store.open_database(None, out)
    save_all(engine, POPULATION)
    store.save_verdict(engine, make_verdict("LF-X", findings=[finding(FindingCode.SEAL_MISSING)]),
                       store.RunInfo(packet_folder="/inbox/LF-X"))
    try:
        result = stats_flow(out_dir=out, period="week")
        [snapshot] = store.latest_snapshots(engine)
        direct = stats_from_database(engine, period="week", names=names_from_policy(policy), now=NOW)
    finally:
        engine.dispose()
        store.dispose_cached_engines()
    assert snapshot.snapshot_id == result.snapshot_id and snapshot.source == "flow" and snapshot.period == "week"
    assert (result.applications, result.returned) == (direct.applications, direct.returned) == (
        snapshot.applications, snapshot.returned)
    stored = RejectionStats.model_validate(snapshot.payload)
    assert stored.reasons_by_slot == direct.reasons_by_slot and stored.groups == direct.groups


def test_stats_deployment_runs_on_a_schedule(tmp_path):
    from flows.stats_flow import stats_deployment

    hourly = stats_deployment(tmp_path, interval_s=3600)
    assert hourly.schedules[0].schedule.interval == timedelta(hours=1)
    assert hourly.parameters["out_dir"] == str(tmp_path)
    nightly = stats_deployment(tmp_path, cron="0 2 * * *")
    assert nightly.schedules[0].schedule.cron == "0 2 * * *"
