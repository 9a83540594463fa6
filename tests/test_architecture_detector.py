"""The architecture test's detector, fed small modules: each hidden form of a dependency is caught, the allowed
forms are not, so a detector that stops seeing one fails here rather than passing the project silently."""

from __future__ import annotations

import textwrap

import pytest

from tests.test_architecture import (
    ROOT,
    _cycles,
    _Visitor,
    hidden_imports,
    loads_by_name,
    scan_source,
    upward_references,
)


def scanned(source: str, path: str = "pocketbook/households/snippet.py") -> _Visitor:
    return scan_source(textwrap.dedent(source), ROOT / path)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        (
            """
            from importlib import import_module as load

            def case_model():
                return load("pocketbook.cases.models")
            """,
            ["pocketbook/households/snippet.py:5 loads pocketbook.cases.models"],
        ),
        (
            """
            import importlib as il
            cases = il.import_module("pocketbook.cases")
            """,
            ["pocketbook/households/snippet.py:3 loads pocketbook.cases"],
        ),
        (
            """
            import importlib.util
            found = importlib.util.spec_from_file_location("pocketbook.cases", "cases.py")
            """,
            ["pocketbook/households/snippet.py:3 loads pocketbook.cases"],
        ),
        (
            """
            from importlib import util
            spec = util.find_spec(name)
            """,
            ["pocketbook/households/snippet.py:3 loads a name the source does not write"],
        ),
        (
            """
            from django.utils.module_loading import import_string
            case_open = import_string("pocketbook.cases.services.case_open")
            """,
            ["pocketbook/households/snippet.py:3 loads pocketbook.cases.services.case_open"],
        ),
        (
            """
            from django.utils import module_loading as loading
            case_open = loading.import_string(dotted_path=name)
            """,
            ["pocketbook/households/snippet.py:3 loads a name the source does not write"],
        ),
        ('cases = __import__("pocketbook.cases")', ["pocketbook/households/snippet.py:1 loads pocketbook.cases"]),
        ("import importlib\nimport json\nvalue = json.loads(text)", []),
    ],
)
def test_the_detector_finds_a_module_loaded_by_name(source, found):
    assert loads_by_name(scanned(source).loads) == found


def test_the_detector_lets_the_project_package_load_what_is_not_a_project_module():
    settings = "import importlib.util\n\ndef _package_dir(name):\n    return importlib.util.find_spec(name)\n"
    assert loads_by_name(scanned(settings, "pocketbook/settings.py").loads) == []
    fonts_of_an_app = 'import importlib.util\nspec = importlib.util.find_spec("pocketbook.reports")\n'
    assert loads_by_name(scanned(fonts_of_an_app, "pocketbook/settings.py").loads) == [
        "pocketbook/settings.py:2 loads pocketbook.reports"
    ]


@pytest.mark.parametrize(
    ("path", "source", "found"),
    [
        (
            "pocketbook/households/snippet.py",
            'from django.apps import apps\nCase = apps.get_model("cases", "Case")\n',
            ["pocketbook/households/snippet.py:2 imports pocketbook.cases"],
        ),
        (
            "pocketbook/households/snippet.py",
            'from django.apps import apps\nCase = apps.get_model("cases.Case")\n',
            ["pocketbook/households/snippet.py:2 imports pocketbook.cases"],
        ),
        (
            "pocketbook/assessments/snippet.py",
            'from django.apps import apps\nconfig = apps.get_app_config("incidents")\n',
            ["pocketbook/assessments/snippet.py:2 imports pocketbook.incidents"],
        ),
        (
            "pocketbook/accounts/services.py",
            "def sync(sender, apps):\n    return get_model(app_label='reports', model_name='Aggregate')\n",
            ["pocketbook/accounts/services.py:2 imports pocketbook.reports"],
        ),
        (
            "pocketbook/reports/snippet.py",
            'from django.apps import apps\nHousehold = apps.get_model("households", "Household")\n',
            [],
        ),
        (
            "pocketbook/audit/migration_helpers.py",
            'def forget(apps):\n    return apps.get_model("audit", "ObjectChange"), apps.get_model("auth", "User")\n',
            [],
        ),
    ],
)
def test_the_detector_finds_an_app_named_by_its_label(path, source, found):
    assert upward_references(scanned(source, path).lookups) == found


def test_the_detector_finds_imports_inside_functions_but_not_in_ready():
    source = """
        from django.apps import AppConfig

        class HouseholdsConfig(AppConfig):
            def ready(self):
                from pocketbook.core.menu import menu_register

        def later():
            from pocketbook.households import services
        """
    assert hidden_imports(scanned(source).imports) == [
        "pocketbook/households/snippet.py:9 imports pocketbook.households.services in later()"
    ]


def test_the_detector_finds_an_upward_import_even_a_type_only_or_relative_one():
    source = """
        from typing import TYPE_CHECKING

        from pocketbook.geo.models import Village
        from .models import Household

        if TYPE_CHECKING:
            from pocketbook.cases.models import Case
        """
    visitor = scanned(source)
    assert {i.module for i in visitor.imports} == {
        "pocketbook.geo.models",
        "pocketbook.households.models",
        "pocketbook.cases.models",
    }
    assert upward_references(visitor.imports) == ["pocketbook/households/snippet.py:8 imports pocketbook.cases.models"]


def test_the_detector_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
