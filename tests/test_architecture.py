"""The shape of the code: imports run one way, each vocabulary has one home, the README's layout is the tree's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

from briefing import vocabulary
from briefing.cli import parser

PACKAGE = REPO / "scripts" / "briefing"
# The layers, lowest first: a module may import its own layer and those below it, never one above.
LAYERS = ("problems", "files", "forked", "vocabulary", "project", "load", "check", "render", "write", "tools")
TOP = ("pipeline", "preview", "commands", "cli")  # the library, then the commands that print what it reports


def modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def imports(path: Path) -> set[str]:
    """The briefing modules a file imports, at its top or inside a function."""
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefing"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("briefing"))
    return found & set(modules())


def _runtime_nodes(node: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (imports for type hints only, never run)."""
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
            continue
        yield from _runtime_nodes(child)


def rank(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    order = LAYERS + TOP
    return order.index(part) if part in order else -1


def test_every_module_is_in_a_layer():
    assert [m for m in modules() if m != "briefing" and rank(m) < 0] == []


def test_imports_never_run_backwards():
    backwards = [
        f"{module} imports {target}"
        for module, path in modules().items()
        for target in imports(path)
        if rank(target) > rank(module)
    ]
    assert backwards == []


def test_there_is_no_import_cycle():
    graph = {module: imports(path) - {module} for module, path in modules().items()}
    done: set[str] = set()

    def visit(module: str, stack: tuple[str, ...]) -> None:
        if module in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(module) :] + (module,)))
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            if target != "briefing":  # the package's own __init__ holds nothing
                visit(target, stack + (module,))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_tests_and_tools_use_the_pipeline_not_the_command_line():
    offenders = [
        path.relative_to(REPO).as_posix()
        for path in [*REPO.joinpath("tests").glob("*.py"), *REPO.joinpath("benchmarks").glob("*.py")]
        if re.search(
            r"from briefing\.(cli|commands)[\w.]* import (?!main\b|parser\b)", path.read_text(encoding="utf-8")
        )
    ]
    assert offenders == []


# --- one home for each vocabulary ---------------------------------------------------------------


def test_the_labels_name_exactly_the_schemas_values():
    assert tuple(vocabulary.KIND_TITLES) == vocabulary.entity_kinds()
    assert tuple(vocabulary.KIND_NAMES) == vocabulary.entity_kinds()
    assert tuple(vocabulary.SOURCE_KINDS) == vocabulary.source_kinds()
    assert tuple(vocabulary.RELATIONS) == vocabulary.relations()
    assert tuple(vocabulary.QUALIFIER_WORDS) == vocabulary.qualifiers()
    assert tuple(vocabulary.QUALIFIER_SIGNS) == vocabulary.qualifiers()
    assert tuple(vocabulary.VERDICTS) == vocabulary.schema_enum("disagreement", "verdict")
    assert tuple(vocabulary.RANKS) == vocabulary.schema_enum("variant", "rank")


def choices(*path: str, flag: str) -> tuple[str, ...]:
    command = parser()
    for name in path:
        command = next(a for a in command._actions if a.dest in ("command", "what")).choices[name]
    return tuple(next(a for a in command._actions if flag in a.option_strings).choices)


def test_the_command_line_offers_the_schemas_values():
    assert choices("new", "entity", flag="--kind") == vocabulary.entity_kinds()
    assert choices("new", "source", flag="--kind") == vocabulary.source_kinds()
    assert choices("archive", flag="--kind") == vocabulary.source_kinds()
    assert choices("new", "source", flag="--relation") == vocabulary.relations()
    assert choices("new", "fact", flag="--qualifier") == vocabulary.qualifiers()


def test_month_names_have_one_home():
    """Every table of month names is the vocabulary's: English on any machine."""
    spelled = re.compile(r"calendar\.month_(?:name|abbr)|[\"']january\b", re.I)
    found = [
        f"{path.relative_to(REPO).as_posix()}:{n}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "vocabulary.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line)
    ]
    assert found == []


# --- the README's layout is the tree's ------------------------------------------------------------


def layout_modules() -> set[str]:
    """The modules the README's Layout section lists under scripts/briefing/, as paths in the package."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```\n", 2)[1]
    listed, folder, inside = set(), "", False
    for line in block.splitlines():
        if line.startswith("scripts/briefing/"):
            inside = True
            continue
        if inside and not line.startswith(" "):
            break
        if not inside:
            continue
        entry = re.match(r"  (\S+)", line)
        if entry:
            folder = entry.group(1) if entry.group(1).endswith("/") else ""
        listed.update(folder + name for name in re.findall(r"\b\w+\.py\b", line))
    return listed


def test_the_readme_lists_every_module_and_no_other():
    tree = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py") if path.name != "__init__.py"}
    listed = layout_modules()
    assert {"missing from the README": sorted(tree - listed), "stale in the README": sorted(listed - tree)} == {
        "missing from the README": [],
        "stale in the README": [],
    }


def test_every_package_of_the_tree_is_shipped():
    """pyproject names its packages one by one: a new subpackage left out installs without its modules."""
    import tomllib

    shipped = set(
        tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    tree = {
        ".".join(init.parent.relative_to(REPO / "scripts").parts)
        for init in (REPO / "scripts" / "briefing").rglob("__init__.py")
    }
    assert tree - shipped == set()
