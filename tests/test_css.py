"""The portal ships Bootstrap reduced to the classes it uses (static/vendor/bootstrap/bootstrap.portal.min.css,
built by `make css` from the full bootstrap.min.css). A template, form or script that starts using a Bootstrap class
the reduced file has dropped would render unstyled: this test names the class and says to run `make css`."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP = ROOT / "static" / "vendor" / "bootstrap"
SOURCES = [
    *ROOT.glob("templates/**/*.html"),
    *(p for app in ("portal", "residents", "services", "volunteers", "councils") for p in (ROOT / app).rglob("*.py")),
    *(p for app in ("portal", "services", "volunteers", "councils") for p in (ROOT / "static" / app).rglob("*.js")),
]
CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
WORD = re.compile(r"[A-Za-z0-9_-]+")


def selectors(css: Path) -> list[list[str]]:
    """The class names of each selector of `css` (one list per comma-separated selector)."""
    text = re.sub(r"/\*.*?\*/", "", css.read_text(), flags=re.S)
    return [
        CLASS.findall(selector)
        for group in re.findall(r"([^{}]+)\{", text)
        if not group.lstrip().startswith("@")
        for selector in group.split(",")
    ]


def test_every_bootstrap_class_in_use_is_in_the_reduced_file():
    used = {word for path in SOURCES for word in WORD.findall(path.read_text(errors="replace"))}
    # A rule applies when every class of its selector is in use (`.offcanvas.hiding` needs both).
    needed = {
        name for names in selectors(BOOTSTRAP / "bootstrap.min.css") if names and set(names) <= used for name in names
    }
    reduced = {name for names in selectors(BOOTSTRAP / "bootstrap.portal.min.css") for name in names}
    missing = sorted(needed - reduced)
    assert not missing, f"Bootstrap classes in use but not in bootstrap.portal.min.css (run `make css`): {missing}"
    full = {name for names in selectors(BOOTSTRAP / "bootstrap.min.css") for name in names}
    assert len(reduced) < len(full) / 2  # it is reduced


def test_pages_link_the_reduced_file_and_no_bootstrap_script():
    for template in ROOT.glob("templates/**/*.html"):
        text = template.read_text()
        assert "bootstrap.min.css" not in text, template
        assert "bootstrap.bundle" not in text, template
