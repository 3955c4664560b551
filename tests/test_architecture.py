"""The layout rules of docs/ARCHITECTURE.md hold (`make arch`), and the checker finds each kind of breach."""

from pathlib import Path

import pytest

from tests.architecture import check


def test_the_code_keeps_the_layout_rules():
    breaches, _graph = check()
    assert breaches == []


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in ("portal", "portal/core", "portal/site", "residents", "services", "councils", "volunteers"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").touch()
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"portal/core/a.py": "from residents.models import Resident\n", "residents/models.py": ""},
            "the core imports",
        ),
        ({"portal/core/a.py": "import portal.site.views\n", "portal/site/views.py": ""}, "the core imports"),
        ({"councils/a.py": "from councils import b\n", "councils/b.py": "from councils.a import x\n"}, "import circle"),
        (
            {"councils/a.py": "def f():\n    from councils.b import y\n", "councils/b.py": "import councils.a\n"},
            "import circle",
        ),
        ({"councils/a.py": "from councils.b import _helper\n", "councils/b.py": ""}, "private name"),
        ({"councils/a.py": "import councils.b as b\nb._helper()\n", "councils/b.py": ""}, "private name"),
        ({"services/a.py": "from councils import _common\n", "councils/_common.py": ""}, "private module"),
        ({"councils/a.py": "def f():\n    import councils.b\n", "councils/b.py": ""}, "inside a function"),
        ({"councils/a.py": "x = 1\n" * 501}, "lines"),
    ],
)
def test_the_checker_finds_each_breach(tmp_path, files, expected):
    breaches, _graph = check(write(tmp_path, files))
    assert any(expected in breach for breach in breaches), breaches


def test_allowed_shapes_pass(tmp_path):
    files = {
        "councils/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from councils.b import B\n",
        "councils/b.py": "import councils.a\n",
        "councils/actions/_common.py": "",
        "councils/actions/meetings.py": "from councils.actions._common import helper\n",
        "councils/seed.py": "x = 1\n" * 600,
        "residents/c.py": "def f():\n    # lazy: the app registry is ready only here\n    from residents import d\n",
        "residents/d.py": "",
        "portal/site/x.py": "import residents.c\n",
    }
    (tmp_path / "councils" / "actions").mkdir(parents=True)
    (tmp_path / "councils" / "actions" / "__init__.py").touch()
    breaches, _graph = check(write(tmp_path, files))
    assert breaches == []
