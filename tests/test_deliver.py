from pathlib import Path

import pytest

from reporter import deliver
from reporter.errors import OutputError


def test_folder_appears_whole_and_replaces_the_old_one(tmp_path: Path):
    deliver.write_folder(tmp_path, "2025-12-31", {"a.pdf": b"old", "chart_old_en-US.svg": b"x"})
    deliver.write_folder(tmp_path, "2025-12-31", {"a.pdf": b"new", "report.json": b"{}"})
    folder = tmp_path / "2025-12-31"
    assert sorted(p.name for p in folder.iterdir()) == ["a.pdf", "report.json"]
    assert (folder / "a.pdf").read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["2025-12-31"]  # no staging left over


@pytest.mark.parametrize("name", ["../evil.pdf", "/etc/passwd", "sub/x.pdf", ".hidden", ""])
def test_names_cannot_escape_the_output_folder(tmp_path: Path, name: str):
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="not a plain file name"):
        deliver.write_folder(out, "2025-12-31", {"ok.pdf": b"1", name: b"2"})
    assert not (out / "2025-12-31").exists()
    assert not (tmp_path / "evil.pdf").exists()
    assert list(out.iterdir()) == []


def test_a_failure_half_way_keeps_the_previous_outputs(tmp_path: Path, monkeypatch):
    deliver.write_folder(tmp_path, "2025-12-31", {"a.pdf": b"published"})
    real_open = open
    calls = {"n": 0}

    def failing_open(path, mode="r", *a, **k):
        if "w" in mode:
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OutputError, match="no space left"):
        deliver.write_folder(tmp_path, "2025-12-31", {"a.pdf": b"new", "b.pdf": b"new"})
    monkeypatch.undo()
    assert (tmp_path / "2025-12-31" / "a.pdf").read_bytes() == b"published"
    assert [p.name for p in tmp_path.iterdir()] == ["2025-12-31"]


def test_permission_denied_is_reported(tmp_path: Path, monkeypatch):
    # Running as root ignores directory modes, so the refusal is injected where it would occur.
    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(deliver.os, "replace", refuse)
    with pytest.raises(OutputError, match="permission denied"):
        deliver.write_folder(tmp_path, "2025-12-31", {"a.pdf": b"x"})
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_leaves_no_temp_file(tmp_path: Path):
    target = tmp_path / "index.html"
    deliver.write_atomic(target, b"one")
    deliver.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
