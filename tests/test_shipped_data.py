"""Shipped data: every data file under data/ is cited by path in docs/sources.md, and its folder carries its
licence and a README (the guide: copy needed data into data/ with licence and credit, cite it in sources.md).
Licences, READMEs and the scripts that prepared a folder's files are not data."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_DATA = ("LICENSE", "README")


def data_files() -> list[Path]:
    return sorted(p for p in (ROOT / "data").rglob("*") if p.is_file() and not p.name.startswith(NOT_DATA)
                  and p.suffix != ".py")


def test_every_data_file_is_cited_with_its_licence() -> None:
    files = data_files()
    assert len(files) >= 7  # the portals (3), the 2026 snapshot (3), Eugene's log (1)
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for path in files:
        rel = path.relative_to(ROOT)
        folder = f"{rel.parent.as_posix()}/"
        assert rel.as_posix() in sources or (folder in sources and f"`{path.name}`" in sources), rel
        assert any(p.name.startswith("LICENSE") for p in path.parent.iterdir()), f"no licence beside {rel}"
        assert (path.parent / "README.md").is_file(), f"no README beside {rel}"
