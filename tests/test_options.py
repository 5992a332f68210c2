"""RenderOptions: where the build time and the cache folder come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.options import RenderOptions, cache_dir_from_env


def test_the_cache_folder_is_the_named_one_else_xdgs_else_the_homes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPORTGEN_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache_dir_from_env() == tmp_path / "home" / ".cache" / "reportgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert cache_dir_from_env() == tmp_path / "home" / ".cache" / "reportgen"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir_from_env() == tmp_path / "xdg" / "reportgen"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert RenderOptions().cache_dir == tmp_path / "mine"


def test_an_empty_cache_setting_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", "")
    assert RenderOptions().cache_dir is None
