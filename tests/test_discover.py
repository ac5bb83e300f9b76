"""Packet discovery: the order packets are started in."""

from __future__ import annotations

from pathlib import Path

from flows.discover import PacketJob, folder_bytes, largest_first


def _packet(root: Path, name: str, sizes: list[int]) -> PacketJob:
    folder = root / name
    (folder / "scans").mkdir(parents=True)
    for number, size in enumerate(sizes):
        (folder / ("scans" if number % 2 else ".") / f"f{number}.jpg").write_bytes(b"x" * size)
    return PacketJob(folder=folder, output_name=name)


def test_the_largest_packet_starts_first_and_equal_ones_keep_their_order(tmp_path: Path) -> None:
    """GIVEN packets of 300, 5,000 (in a sub-folder too), 300 and 900 bytes
    WHEN ordered to start, THEN the biggest comes first and the two 300-byte ones stay in order."""
    jobs = [_packet(tmp_path, "a", [300]), _packet(tmp_path, "b", [1000, 4000]),
            _packet(tmp_path, "c", [100, 200]), _packet(tmp_path, "d", [900])]
    assert folder_bytes(jobs[1].folder) == 5000
    assert [job.output_name for job in largest_first(jobs)] == ["b", "d", "a", "c"]


def test_a_folder_gone_before_it_is_sized_counts_as_empty(tmp_path: Path) -> None:
    gone = PacketJob(folder=tmp_path / "gone", output_name="gone")
    kept = _packet(tmp_path, "kept", [10])
    assert folder_bytes(gone.folder) == 0
    assert largest_first([gone, kept]) == [kept, gone]
