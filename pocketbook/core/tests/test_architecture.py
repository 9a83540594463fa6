"""The import graph is the architecture: apps import only lower apps, at the top of the module, never by name.

Read with `ast` (nothing is imported), over every module of the project except tests and migrations:

- no `importlib` (or `__import__`) on a project module: a dependency must be visible in the imports;
- no import of a project module inside a function, except in `AppConfig.ready()`, where a higher app
  fills the registries of the lower ones (docs/architecture.md);
- an app imports only apps below it (type-only imports too): the layers below, lowest first;
- no cycle among the modules' top-level imports;
- an app's templates include, extend or link (`{% url %}`) only its own and lower apps' templates and pages.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
ROOT = PACKAGE.parent

# Lowest first; an app may import the apps of lower layers only. The project package itself (settings,
# urls, api, wsgi) is the wiring and may import any app. Audit sits below geo and accounts because they
# record their changes through it (its models name the user model by the AUTH_USER_MODEL setting).
LAYERS: list[set[str]] = [
    {"core"},
    {"audit"},
    {"geo"},
    {"accounts"},
    {"households"},
    {"assessments", "incidents"},
    {"cases", "volunteers"},
    {"reports", "offline"},
    {"wiring"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# Function-level imports of project modules outside AppConfig.ready(): none are left (issue 7); keep it so.
FUNCTION_IMPORTS_ALLOWED: set[tuple[str, str]] = set()

# importlib used on something other than a project module.
IMPORTLIB_ALLOWED = {"pocketbook/settings.py"}  # finds the folders of installed static packages (fonts, Leaflet)


@dataclass(frozen=True)
class Import:
    path: str  # relative to the repository, e.g. pocketbook/households/views.py
    line: int
    module: str  # the project module imported, e.g. pocketbook.households.models
    in_function: str | None  # the enclosing function, or None at module level
    in_ready: bool  # inside an AppConfig's ready()
    type_only: bool  # under `if TYPE_CHECKING:`


def project_modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str | None:
    """The app a module belongs to (None for the project package's own modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LEVEL) else None


def _resolve(node: ast.ImportFrom, path: Path) -> str:
    if node.level == 0:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


class _Visitor(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.imports: list[Import] = []
        self.importlib_calls: list[int] = []
        self._functions: list[str] = []
        self._classes: list[ast.ClassDef] = []
        self._type_checking = 0

    def _add(self, module: str, line: int) -> None:
        if module != "pocketbook" and not module.startswith("pocketbook."):
            return
        function = self._functions[-1] if self._functions else None
        in_ready = (
            function == "ready"
            and bool(self._classes)
            and any(getattr(base, "id", getattr(base, "attr", "")) == "AppConfig" for base in self._classes[-1].bases)
        )
        relative = str(self.path.relative_to(ROOT))
        self.imports.append(Import(relative, line, module, function, in_ready, self._type_checking > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = _resolve(node, self.path)
        for alias in node.names:
            # `from pocketbook.incidents import services` imports a module: name it
            self._add(f"{module}.{alias.name}" if _is_module(f"{module}.{alias.name}") else module, node.lineno)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._functions.append(node.name)
        self.generic_visit(node)
        self._functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes.append(node)
        self.generic_visit(node)
        self._classes.pop()

    def visit_If(self, node: ast.If) -> None:
        is_type_checking = getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
        self._type_checking += is_type_checking
        for child in node.body:
            self.visit(child)
        self._type_checking -= is_type_checking
        for child in node.orelse:
            self.visit(child)

    def visit_Call(self, node: ast.Call) -> None:
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name in {"import_module", "find_spec", "__import__", "reload"}:
            self.importlib_calls.append(node.lineno)
        self.generic_visit(node)


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / relative).with_suffix(".py").exists() or (ROOT / relative / "__init__.py").exists()


def _scan() -> tuple[list[Import], dict[str, list[int]]]:
    imports: list[Import] = []
    importlib_calls: dict[str, list[int]] = {}
    for path in project_modules():
        visitor = _Visitor(path)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        imports.extend(visitor.imports)
        if visitor.importlib_calls:
            importlib_calls[str(path.relative_to(ROOT))] = visitor.importlib_calls
    return imports, importlib_calls


IMPORTS, IMPORTLIB_CALLS = _scan()


def test_the_scan_sees_the_project():
    assert len({i.path for i in IMPORTS}) > 100
    assert any(i.path == "pocketbook/households/apps.py" and i.in_ready for i in IMPORTS)


def test_no_module_imports_a_project_module_by_name():
    assert {path: lines for path, lines in IMPORTLIB_CALLS.items() if path not in IMPORTLIB_ALLOWED} == {}
    settings_source = (PACKAGE / "settings.py").read_text(encoding="utf-8")
    assert '_package_dir("pocketbook' not in settings_source


def test_imports_sit_at_the_top_of_modules_except_in_ready():
    hidden = {
        (i.path, i.module)
        for i in IMPORTS
        if i.in_function is not None and not i.in_ready and (i.path, i.module) not in FUNCTION_IMPORTS_ALLOWED
    }
    assert sorted(hidden) == []


def test_the_allowlist_of_function_level_imports_only_shrinks():
    still_there = {(i.path, i.module) for i in IMPORTS if i.in_function is not None and not i.in_ready}
    assert sorted(FUNCTION_IMPORTS_ALLOWED - still_there) == [], "remove these from FUNCTION_IMPORTS_ALLOWED"


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(LEVEL)


def test_apps_import_only_lower_apps():
    upward = sorted(
        f"{i.path}:{i.line} imports {i.module}"
        for i in IMPORTS
        if (source := app_of(module_name(ROOT / i.path))) is not None
        and (target := app_of(i.module)) is not None
        and source != target
        and LEVEL[target] >= LEVEL[source]
    )
    assert upward == []


def test_no_import_cycle_among_top_level_imports():
    graph: dict[str, set[str]] = {}
    for i in IMPORTS:
        if i.in_function is None and not i.type_only:
            graph.setdefault(module_name(ROOT / i.path), set()).add(i.module)
    assert _cycles(graph) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


TEMPLATE_REFERENCE = re.compile(r"""{%\s*(?:include|extends)\s+["']([a-z_]+)/|{%\s*url\s+["']([a-z_]+):""")


def test_templates_name_only_their_own_and_lower_apps():
    upward = []
    for path in sorted(PACKAGE.glob("*/templates/**/*.html")):
        app = path.relative_to(PACKAGE).parts[0]
        for match in TEMPLATE_REFERENCE.finditer(path.read_text(encoding="utf-8")):
            named = match.group(1) or match.group(2)
            if named in LEVEL and named != app and LEVEL[named] >= LEVEL[app]:
                upward.append(f"{path.relative_to(ROOT)} names {named}")
    assert upward == []
