"""The house rules of the code's layout, checked from the source alone (nothing is imported or run).

    python tests/architecture.py          # prints every breach, exits 1 if there is one (`make arch`)

Rules (docs/ARCHITECTURE.md explains each):
1. The core (portal/core/) imports no app: not residents, services, councils, volunteers, nor the site pages.
2. No import cycle between modules, counting imports inside functions too (a lazy import that closes a
   circle is still a circle).
3. No module imports another module's private name (`from x import _y`, `x._y`); a private module
   (`_common.py`) is imported only from inside its own package.
4. An import inside a function names why on its line or the line above (`# lazy: ...`): Django needs
   some (AppConfig.ready, a settings-dependent backend), nothing else does.
5. A module stays under MAX_LINES lines, seeds, migrations and tests apart.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "residents", "services", "councils", "volunteers")
APPS = ("residents", "services", "councils", "volunteers")
CORE = "portal.core"
CORE_MAY_NOT_IMPORT = (*APPS, "portal.site", "portal.urls", "portal.settings", "portal.celery")
MAX_LINES = 500
SKIPPED_DIRS = {"tests", "migrations", "__pycache__"}


def is_exempt_from_size(path: Path) -> bool:
    return path.stem.startswith("seed") or path.name == "test_settings.py"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path) -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if SKIPPED_DIRS.intersection(path.relative_to(root).parts):
                continue
            files[module_name(path, root)] = path
    return files


class Imports(ast.NodeVisitor):
    """Every import of a module, with the line, whether it sits in a function, and the names it takes."""

    def __init__(self, module: str, is_package: bool, modules: set[str]):
        self.module, self.is_package, self.modules = module, is_package, modules
        self.depth = 0
        self.found: list[tuple[int, str, list[str], bool]] = []  # line, target module, names, in function
        self.aliases: dict[str, str] = {}  # local name → project module, for `x._y`
        self.attributes: list[tuple[int, str, str]] = []

    def resolve(self, name: str) -> str | None:
        while name and name not in self.modules:
            name = name.rpartition(".")[0]
        return name or None

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node):
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
        if name == "TYPE_CHECKING":  # only for the type checker: never imported at run time
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node):
        for alias in node.names:
            target = self.resolve(alias.name)
            if target:
                self.found.append((node.lineno, target, [], self.depth > 0))
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    self.aliases[alias.name] = alias.name

    def visit_ImportFrom(self, node):
        base = node.module or ""
        if node.level:
            package = self.module if self.is_package else self.module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        if not self.resolve(base):
            return
        for alias in node.names:
            full = f"{base}.{alias.name}"
            if full in self.modules:
                self.found.append((node.lineno, full, [], self.depth > 0))
                self.aliases[alias.asname or alias.name] = full
            else:
                self.found.append((node.lineno, self.resolve(base), [alias.name], self.depth > 0))

    def visit_Attribute(self, node):
        if isinstance(node.value, ast.Name) and node.value.id in self.aliases and node.attr.startswith("_"):
            if not node.attr.startswith("__"):
                self.attributes.append((node.lineno, self.aliases[node.value.id], node.attr))
        self.generic_visit(node)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the circles of the import graph."""
    index, low, on_stack, stack, circles, counter = {}, {}, set(), [], [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    circle = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        circle.append(member)
                        if member == node:
                            break
                    if len(circle) > 1:
                        circles.append(sorted(circle))
    return circles


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def check(root: Path = ROOT) -> tuple[list[str], dict[str, set[str]]]:
    files = source_files(root)
    modules = set(files)
    graph: dict[str, set[str]] = defaultdict(set)
    breaches: list[str] = []
    for module, path in files.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        rel = path.relative_to(root)
        if len(lines) > MAX_LINES and not is_exempt_from_size(path):
            breaches.append(f"{rel}: {len(lines)} lines (at most {MAX_LINES} outside seeds and tests)")
        visitor = Imports(module, path.name == "__init__.py", modules)
        visitor.visit(ast.parse(text, filename=str(rel)))
        for line, target, names, in_function in visitor.found:
            if target == module:
                continue
            graph[module].add(target)
            where = f"{rel}:{line}"
            if (module == CORE or module.startswith(CORE + ".")) and target.startswith(CORE_MAY_NOT_IMPORT):
                breaches.append(f"{where}: the core imports {target}")
            for name in names:
                if is_private(name):
                    breaches.append(f"{where}: imports the private name {target}.{name}")
            leaf = target.rpartition(".")[2]
            parent = target.rpartition(".")[0]
            if is_private(leaf) and module != parent and not module.startswith(parent + "."):
                breaches.append(f"{where}: imports the private module {target} from outside its package")
            if in_function:
                context = " ".join(lines[max(0, line - 2) : line])
                if "# lazy:" not in context:
                    breaches.append(f"{where}: import of {target} inside a function without '# lazy: <why>'")
        for line, target, name in visitor.attributes:
            if target != module:
                breaches.append(f"{rel}:{line}: uses the private name {target}.{name}")
    for circle in strongly_connected(graph):
        breaches.append("import circle: " + " ↔ ".join(circle))
    return breaches, graph


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Edges between the floors and apps: portal.core, portal.site, portal (config), and each app."""

    def floor(module: str) -> str:
        for prefix in (CORE, "portal.site"):
            if module == prefix or module.startswith(prefix + "."):
                return prefix
        return module.split(".")[0]

    edges: dict[str, set[str]] = defaultdict(set)
    for source, targets in graph.items():
        for target in targets:
            if floor(source) != floor(target):
                edges[floor(source)].add(floor(target))
    return edges


def main() -> int:
    breaches, graph = check()
    if "--graph" in sys.argv:
        for source, targets in sorted(package_graph(graph).items()):
            print(f"{source} → {', '.join(sorted(targets))}")
    for breach in breaches:
        print(breach)
    print(f"{len(breaches)} breach(es) of the layout rules in {len(graph)} modules")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
