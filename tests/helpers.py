"""Small helpers shared by the tests."""

from __future__ import annotations

from html.parser import HTMLParser
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


DANGEROUS_TAGS = {"script", "iframe", "style", "object", "embed", "form", "img", "base", "meta", "link", "svg"}


class Scan(HTMLParser):
    """What a browser would act on: elements, event-handler attributes, javascript: URLs."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.js_links: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "xlink:href") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.js_links.append(f"<{tag} {name}={value}>")
