"""The results database on SQLite and on a real PostgreSQL server: schema, runs history, claims."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

import store
from models.codes import FindingCode
from store.engine import create_db_engine, table_names, upgrade_database
from store.models import Base, Document, FindingRow, Run, SealRow
from tests.packets import APPLICANT_ID
from tests.verdicts import finding, make_verdict

pytest_plugins = ["tests.pg"]

TABLES = {"applications", "runs", "documents", "findings", "seals", "claims", "stats_snapshots"}


@pytest.fixture
def engine(db_url):
    engine = store.open_database(db_url, None)
    yield engine
    engine.dispose()


def info(folder: str = "/inbox/LF-T-0001", **changes) -> store.RunInfo:
    return store.RunInfo(packet_folder=folder, output_dir=Path(folder).name, **changes)


# --- opening and migrating ------------------------------------------------------------------------------------------

def test_default_database_is_sqlite_under_out(tmp_path, monkeypatch):
    monkeypatch.delenv(store.ENV_URL, raising=False)
    engine = store.open_database(None, tmp_path / "out")
    try:
        assert (tmp_path / "out" / "precheck.sqlite3").is_file()
        assert table_names(engine) >= TABLES
    finally:
        engine.dispose()


def test_url_resolution_order(tmp_path):
    assert store.resolve_url("sqlite:///x.db", tmp_path, {store.ENV_URL: "sqlite:///y.db"}) == "sqlite:///x.db"
    assert store.resolve_url(None, tmp_path, {store.ENV_URL: "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert store.resolve_url(None, tmp_path, {}).endswith(f"{tmp_path.as_posix()}/precheck.sqlite3")
    with pytest.raises(ValueError, match="--db-url"):
        store.resolve_url(None, None, {})


def test_migrations_create_exactly_the_models_schema(engine):
    """GIVEN a database migrated to head WHEN Alembic compares it with the models THEN nothing differs."""
    assert table_names(engine) >= TABLES
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_open_is_idempotent_and_downgrade_round_trips(db_url):
    engine = store.open_database(db_url, None)
    store.save_verdict(engine, make_verdict(), info())
    engine.dispose()
    again = store.open_database(db_url, None)  # a second open keeps the data
    try:
        assert store.count_current(again) == {"pass": 1}
        upgrade_database(again, "head")
        from alembic import command

        from store.engine import alembic_config

        config = alembic_config(again)
        with again.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert not (TABLES & table_names(again))
        upgrade_database(again)
        assert table_names(again) >= TABLES
    finally:
        again.dispose()


def test_migrations_work_from_another_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    engine = store.open_database(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}", None)
    try:
        assert table_names(engine) >= TABLES
    finally:
        engine.dispose()


# --- saving runs ----------------------------------------------------------------------------------------------------

def test_rerun_replaces_current_and_keeps_history(engine):
    """GIVEN a packet saved once WHEN it is re-run twice THEN one application, three runs, only the last current."""
    first = make_verdict(findings=[finding(FindingCode.SEAL_MISSING)])
    store.save_verdict(engine, first, info(started_at=datetime(2025, 6, 3, 8, tzinfo=UTC)))
    store.save_verdict(engine, first, info())
    fixed = make_verdict(fingerprint="a" * 64)
    last_id = store.save_verdict(engine, fixed, info())

    runs = store.runs_for(engine, "LF-T-0001")
    assert [r.is_current for r in runs] == [False, False, True]
    assert runs[-1].run_id == last_id and runs[0].codes == ["SEAL_MISSING"] and runs[-1].codes == []
    assert store.count_current(engine) == {"pass": 1}
    assert [v.status.value for v in store.current_verdicts(engine)] == ["pass"]
    with store.session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Run)) == 3


def test_stored_verdict_reads_back_equal(engine):
    verdict = make_verdict(findings=[finding(FindingCode.REPORT_EXPIRED, text="报告日期：2023年5月1日")])
    store.save_verdict(engine, verdict, info())
    assert store.current_verdict(engine, verdict.application_id) == verdict
    assert store.current_verdict(engine, "nope") is None


def test_documents_findings_and_seals_are_rows(engine):
    verdict = make_verdict(findings=[finding(FindingCode.SEAL_MISSING), finding(FindingCode.MATERIAL_MISSING)],
                           hospital="临汾市汾西人民医院")
    run_id = store.save_verdict(engine, verdict, info(elapsed_s=2.5))
    with store.session_scope(engine) as session:
        run = session.get(Run, run_id)
        assert run.hospital == "临汾市汾西人民医院" and run.status == "return" and run.elapsed_s == 2.5
        assert [d.slot for d in run.documents] == [d.slot for d in verdict.documents]
        rows = session.scalars(select(FindingRow).order_by(FindingRow.position)).all()
        assert [(r.code, r.severity, r.slot) for r in rows] == [
            ("SEAL_MISSING", "return", "diagnosis_certificate"), ("MATERIAL_MISSING", "return", "application_form")]
        assert rows[0].hospital == "临汾市汾西人民医院"  # the diagnosis certificate's hospital
        assert session.scalar(select(func.count()).select_from(SealRow)) == 2
        assert run.finished_at.tzinfo is not None


def test_runs_of_other_applications_stay_current(engine):
    store.save_verdict(engine, make_verdict("LF-T-0001"), info("/inbox/a"))
    store.save_verdict(engine, make_verdict("LF-T-0002", findings=[finding(FindingCode.SEAL_MISSING)]), info("/inbox/b"))
    store.save_verdict(engine, make_verdict("LF-T-0001"), info("/inbox/a"))
    assert store.count_current(engine) == {"pass": 1, "return": 1}
    assert [v.application_id for v in store.current_verdicts(engine, region="linfen")] == ["LF-T-0001", "LF-T-0002"]


def test_failed_save_leaves_nothing_behind(engine):
    """GIVEN a caller's transaction WHEN it fails after save_verdict THEN no application, run or finding is left."""
    with pytest.raises(RuntimeError), store.session_scope(engine) as session:
        store.save_verdict(session, make_verdict(findings=[finding(FindingCode.SEAL_MISSING)]), info())
        raise RuntimeError("crash after saving")
    assert store.count_current(engine) == {}
    with store.session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_unchanged_packet_is_recognised_by_fingerprint(engine):
    store.save_verdict(engine, make_verdict(fingerprint="1" * 64), info("/inbox/a"))
    assert store.is_unchanged(engine, "/inbox/a", "1" * 64)
    assert not store.is_unchanged(engine, "/inbox/a", "2" * 64)
    assert not store.is_unchanged(engine, "/inbox/other", "1" * 64)
    store.save_verdict(engine, make_verdict(fingerprint="2" * 64), info("/inbox/a"))
    assert store.latest_run_for_folder(engine, "/inbox/a").packet_fingerprint == "2" * 64
    assert store.latest_run_for_folder(engine, "/inbox/none") is None


def test_concurrent_saves_leave_one_current_run(engine):
    """GIVEN four threads re-running the same application WHEN they save at once THEN exactly one run is current."""
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(3):
                store.save_verdict(engine, make_verdict(), info())
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    runs = store.runs_for(engine, "LF-T-0001")
    assert len(runs) == 12 and sum(r.is_current for r in runs) == 1


# --- claims ---------------------------------------------------------------------------------------------------------

def test_claim_is_exclusive_until_released_or_expired(engine):
    now = datetime(2025, 6, 3, 8, tzinfo=UTC)
    assert store.acquire_claim(engine, "/inbox/a", "w1", lease_s=60, now=now)
    assert not store.acquire_claim(engine, "/inbox/a", "w2", lease_s=60, now=now + timedelta(seconds=30))
    assert store.claim_owner(engine, "/inbox/a", now=now) == "w1"
    assert store.renew_claim(engine, "/inbox/a", "w1", lease_s=60, now=now + timedelta(seconds=50))
    assert not store.acquire_claim(engine, "/inbox/a", "w2", now=now + timedelta(seconds=100))
    # w1 crashed: its lease runs out and w2 takes over; w1 can no longer renew or release it
    assert store.acquire_claim(engine, "/inbox/a", "w2", now=now + timedelta(seconds=111))
    assert not store.renew_claim(engine, "/inbox/a", "w1", now=now + timedelta(seconds=112))
    assert not store.release_claim(engine, "/inbox/a", "w1")
    assert store.release_claim(engine, "/inbox/a", "w2")
    assert store.claim_owner(engine, "/inbox/a") is None


def test_concurrent_claims_have_one_winner(engine):
    barrier = threading.Barrier(6)
    results: list[bool] = []

    def worker(name: str) -> None:
        barrier.wait()
        results.append(store.acquire_claim(engine, "/inbox/race", name))

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]


# --- snapshots ------------------------------------------------------------------------------------------------------

def test_snapshots_store_and_list_newest_first(engine):
    first = store.save_snapshot(engine, {"a": 1}, period="month", applications=3, returned=1)
    second = store.save_snapshot(engine, {"a": 2}, period="week", applications=4, returned=2, source="cli")
    listed = store.latest_snapshots(engine)
    assert [s.snapshot_id for s in listed] == [second, first]
    assert listed[0].payload == {"a": 2} and listed[0].source == "cli"


def test_cached_engine_is_shared(tmp_path):
    url = f"sqlite:///{tmp_path / 'cached.sqlite3'}"
    try:
        assert store.database_for(url, None) is store.database_for(url, None)
    finally:
        store.dispose_cached_engines()


def test_create_db_engine_enables_sqlite_foreign_keys(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'fk.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_full_id_numbers_never_reach_the_database(engine):
    verdict = make_verdict(findings=[finding(FindingCode.IDENTITY_MISMATCH, slot="id_card",
                                             message=f"身份证号码 {APPLICANT_ID} 与申请人不一致")])
    run_id = store.save_verdict(engine, verdict, info())
    with store.session_scope(engine) as session:
        run = session.get(Run, run_id)
        stored = json.dumps(run.verdict_json, ensure_ascii=False) + " ".join(f.message for f in run.findings)
    assert APPLICANT_ID not in stored and "141002********0017" in stored


def test_concurrent_first_opens_migrate_once(db_url):
    """GIVEN a new database WHEN four workers open it at the same moment THEN all succeed on one schema."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []
    engines = []

    def worker() -> None:
        barrier.wait()
        try:
            engines.append(store.open_database(db_url, None))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert table_names(engines[0]) >= TABLES
    finally:
        for engine in engines:
            engine.dispose()
