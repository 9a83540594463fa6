"""The import graph is the architecture: apps import only lower apps, at the top of the module, never by name.

Read with `ast` (nothing is imported), over every module of the project except tests and migrations:

- no `importlib` (or `__import__`, or Django's `import_string`) on a project module, under whatever name the
  loader was imported: a dependency must be visible in the imports;
- no `get_model`/`get_app_config` naming an app of the caller's layer or above (the hidden form of an import);
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

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pocketbook"

# Lowest first; an app may import the apps of lower layers only. The project package itself (settings,
# urls, api, wsgi) is the wiring and may import any app. Audit sits below geo and accounts because they
# record their changes through it (its models name the user model by the AUTH_USER_MODEL setting).
# The layers are the project's wiring, so they are declared here in the project's tests: a new app adds
# itself here, not in a file of a lower app.
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

# A loader (importlib, __import__, import_string) given a name that is not written in the source, in modules of
# the project package that load something other than a project module. A literal "pocketbook..." is refused
# everywhere.
LOADERS_ALLOWED = {
    "pocketbook/settings.py",  # finds the folders of installed static packages (fonts, Leaflet)
    "pocketbook/wsgi.py",  # the MIDDLEWARE setting's classes, as Django's own handler does
}

# Where a loader comes from: a name imported from one of these (under any alias) is a loader.
LOADER_MODULES = ("importlib", "django.utils.module_loading")
LOADER_FUNCTIONS = {"import_module", "find_spec", "__import__", "reload", "import_string"}
# Calls that name an app by its label.
APP_LOOKUPS = {"get_model", "get_app_config"}


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


@dataclass(frozen=True)
class Load:
    path: str
    line: int
    target: str | None  # the name given to the loader when the source writes it, e.g. "pocketbook.cases.models"


class _Visitor(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.imports: list[Import] = []
        self.loads: list[Load] = []  # calls of importlib, __import__ or import_string
        self.lookups: list[Import] = []  # get_model/get_app_config naming a project app, as if imported
        self._loaders: set[str] = set()  # names bound to a loader module or function, e.g. `load` or `il`
        self._functions: list[str] = []
        self._classes: list[ast.ClassDef] = []
        self._type_checking = 0

    def _reference(self, module: str, line: int) -> Import:
        function = self._functions[-1] if self._functions else None
        in_ready = (
            function == "ready"
            and bool(self._classes)
            and any(getattr(base, "id", getattr(base, "attr", "")) == "AppConfig" for base in self._classes[-1].bases)
        )
        relative = str(self.path.relative_to(ROOT))
        return Import(relative, line, module, function, in_ready, self._type_checking > 0)

    def _add(self, module: str, line: int) -> None:
        if _names_project(module):
            self.imports.append(self._reference(module, line))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)
            if _is_loader_module(alias.name) and (alias.asname or "." not in alias.name):
                self._loaders.add(alias.asname or alias.name)
            elif alias.name.split(".")[0] == "importlib":  # `import importlib.util` binds importlib
                self._loaders.add("importlib")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = _resolve(node, self.path)
        for alias in node.names:
            # `from pocketbook.incidents import services` imports a module: name it
            self._add(f"{module}.{alias.name}" if _is_module(f"{module}.{alias.name}") else module, node.lineno)
            if _is_loader_module(module) or _is_loader_module(f"{module}.{alias.name}"):
                self._loaders.add(alias.asname or alias.name)  # `from importlib import import_module as load`

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
        first = _first_string(node)
        if self._is_loader(node.func):
            self.loads.append(Load(str(self.path.relative_to(ROOT)), node.lineno, first))
        elif name in APP_LOOKUPS and first is not None and first.split(".")[0] in LEVEL:
            # get_model("cases", "Case") or get_model("cases.Case"): a dependency on the app, by its label
            self.lookups.append(self._reference(f"pocketbook.{first.split('.')[0]}", node.lineno))
        self.generic_visit(node)

    def _is_loader(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Name):
            return func.id in self._loaders or func.id in LOADER_FUNCTIONS
        if isinstance(func, ast.Attribute):
            root: ast.expr = func
            while isinstance(root, ast.Attribute):
                root = root.value
            return func.attr in LOADER_FUNCTIONS or (isinstance(root, ast.Name) and root.id in self._loaders)
        return False


def _names_project(name: str | None) -> bool:
    return name is not None and (name == "pocketbook" or name.startswith("pocketbook."))


def _is_loader_module(name: str) -> bool:
    return any(name == loader or name.startswith(f"{loader}.") for loader in LOADER_MODULES)


def _first_string(call: ast.Call) -> str | None:
    """The call's first argument when the source writes it as a string, else None."""
    argument = call.args[0] if call.args else (call.keywords[0].value if call.keywords else None)
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    return None


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / relative).with_suffix(".py").exists() or (ROOT / relative / "__init__.py").exists()


def scan_source(source: str, path: Path) -> _Visitor:
    """What one module imports, loads and looks up; `path` places it in the project (it need not exist)."""
    visitor = _Visitor(path)
    visitor.visit(ast.parse(source, filename=str(path)))
    return visitor


def _scan() -> tuple[list[Import], list[Load], list[Import]]:
    imports: list[Import] = []
    loads: list[Load] = []
    lookups: list[Import] = []
    for path in project_modules():
        visitor = scan_source(path.read_text(encoding="utf-8"), path)
        imports.extend(visitor.imports)
        loads.extend(visitor.loads)
        lookups.extend(visitor.lookups)
    return imports, loads, lookups


IMPORTS, LOADS, LOOKUPS = _scan()


def loads_by_name(loads: list[Load]) -> list[str]:
    """Loaders outside the allowed modules, and every loader given a project module's name."""
    return sorted(
        f"{load.path}:{load.line} loads {load.target or 'a name the source does not write'}"
        for load in loads
        if load.path not in LOADERS_ALLOWED or _names_project(load.target)
    )


def hidden_imports(imports: list[Import]) -> list[str]:
    """Imports of project modules inside a function other than an AppConfig's ready()."""
    return sorted(
        f"{i.path}:{i.line} imports {i.module} in {i.in_function}()"
        for i in imports
        if i.in_function is not None and not i.in_ready and (i.path, i.module) not in FUNCTION_IMPORTS_ALLOWED
    )


def upward_references(references: list[Import]) -> list[str]:
    """Imports (and lookups by label) of an app of the module's own layer or above."""
    return sorted(
        f"{i.path}:{i.line} imports {i.module}"
        for i in references
        if (source := app_of(module_name(ROOT / i.path))) is not None
        and (target := app_of(i.module)) is not None
        and source != target
        and LEVEL[target] >= LEVEL[source]
    )


def test_the_scan_sees_the_project():
    assert len({i.path for i in IMPORTS}) > 100
    assert any(i.path == "pocketbook/households/apps.py" and i.in_ready for i in IMPORTS)


def test_no_module_imports_a_project_module_by_name():
    assert loads_by_name(LOADS) == []
    settings_source = (PACKAGE / "settings.py").read_text(encoding="utf-8")
    assert '_package_dir("pocketbook' not in settings_source


def test_imports_sit_at_the_top_of_modules_except_in_ready():
    assert hidden_imports(IMPORTS) == []


def test_the_allowlist_of_function_level_imports_only_shrinks():
    still_there = {(i.path, i.module) for i in IMPORTS if i.in_function is not None and not i.in_ready}
    assert sorted(FUNCTION_IMPORTS_ALLOWED - still_there) == [], "remove these from FUNCTION_IMPORTS_ALLOWED"


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(LEVEL)


def test_apps_import_only_lower_apps():
    assert upward_references(IMPORTS) == []
    assert upward_references(LOOKUPS) == []


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
