"""A new briefing project, from the skeleton that ships with the generator: it checks and builds at once.

What a newcomer gets (as `hugo new site` or cookiecutter give one): briefing.toml, mkdocs.yml,
a methodology page, a README with the two commands, a Makefile, .ci/run, a GitHub Actions
workflow, a pre-commit configuration, the registry's JSON Schema for editors, and a registry
with one example of each section (commented where an example cannot stand on its own), whose
one fact quotes an example archived text. `write_project` writes it all or, if the folder cannot
take it, nothing (what it made is removed again).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
import unicodedata
from pathlib import Path

from briefing.files import create_file
from briefing.problems import package_folder

EXAMPLE = "example-source.txt"


def subject_id(subject: str) -> str:
    """An entity id from the subject's name: 'Example Robotics' -> 'example-robotics'."""
    ascii_name = unicodedata.normalize("NFKD", subject).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))[:80].strip("-") or "subject"


def project_files(subject: str, today: datetime.date | None = None) -> dict[str, bytes]:
    """Every file of a new project, by its path in the project, with the subject filled in."""
    skeleton = package_folder("briefing.skeleton")
    as_of = (today or datetime.date.today()).strftime("%Y-%m")
    values = {"{subject_id}": subject_id(subject), "{as_of}": as_of}
    # The example archived text lives at the skeleton's top: the skeleton's own .gitignore keeps
    # archive/ out of git, in this repository as in the new project.
    example = (skeleton / EXAMPLE).read_text(encoding="utf-8")
    example = example.replace("{subject}", subject)
    values["{sha256}"] = hashlib.sha256(example.encode("utf-8")).hexdigest()
    files: dict[str, bytes] = {}
    for path in sorted(skeleton.rglob("*")):
        rel = path.relative_to(skeleton).as_posix()
        if not path.is_file() or "__pycache__" in rel or rel == EXAMPLE:
            continue
        quoted = rel.endswith((".yaml", ".yml", ".toml"))  # where the subject stands in a "string"
        filled = {**values, "{subject}": _yaml_safe(subject) if quoted else subject}
        # One pass, so a subject that reads like a placeholder ('{as_of}') stays as written.
        text = _fill(path.read_text(encoding="utf-8"), filled)
        files[rel] = text.encode("utf-8")
    files["archive/example-source.txt"] = example.encode("utf-8")
    files["facts/registry.schema.json"] = (package_folder("briefing.schema") / "registry.schema.json").read_bytes()
    return files


_PLACEHOLDER = re.compile(r"\{(?:subject|subject_id|as_of|sha256)\}")


def _fill(text: str, values: dict[str, str]) -> str:
    """The skeleton's text with its placeholders filled in one pass."""
    return _PLACEHOLDER.sub(lambda m: values[m[0]], text)


def _yaml_safe(text: str) -> str:
    """The subject inside the skeleton's double-quoted YAML strings."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def refusal(folder: Path) -> str | None:
    """Why a new project cannot go into `folder`; None if it can (it is missing or empty)."""
    try:
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file"
        if folder.is_dir() and any(folder.iterdir()):
            return f"{folder} is not empty: a new briefing goes into a new or empty folder"
        above = next((p for p in folder.absolute().parents if p.exists()), None)
    except OSError as exc:
        return f"{folder} cannot be read ({exc.strerror or exc})"
    if above is not None and not above.is_dir():
        return f"{above} is a file, so no folder can be made under it"
    return None


def write_project(folder: Path, files: dict[str, bytes]) -> str | None:
    """Write every file under `folder`; if one cannot be written, remove what was made and say why."""
    made = [p for p in (folder.absolute(), *folder.absolute().parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for rel, content in sorted(files.items()):
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            create_file(target, content, mode=0o666)
        (folder / ".ci" / "run").chmod(0o755)
    except OSError as exc:
        _undo(folder, made)
        return f"cannot write {exc.filename or folder} ({exc.strerror or exc})"
    return None


def _undo(folder: Path, made: list[Path]) -> None:
    """Remove what a failed write made: the folders it created, or what it put into an empty folder."""
    if made:
        shutil.rmtree(made[-1], ignore_errors=True)
        return
    for child in folder.iterdir() if folder.is_dir() else []:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
