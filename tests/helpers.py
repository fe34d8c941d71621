"""Small helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

from scripts.cli import Options, gather


def problems(project, strict: bool = False, severity: str | None = None) -> list[str]:
    """Every problem the checks report for a project, as the contributor sees the first line."""
    options = Options(root=project.root, sources=project.archive, strict=strict, site_dir=Path("site"))
    _, found = gather(options)
    return [str(p) for p in found if severity is None or p.severity == severity]


def with_hints(project, strict: bool = False) -> list[tuple[str, str | None]]:
    options = Options(root=project.root, sources=project.archive, strict=strict, site_dir=Path("site"))
    _, found = gather(options)
    return [(str(p), p.hint) for p in found]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to prove a failed build changed nothing."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
