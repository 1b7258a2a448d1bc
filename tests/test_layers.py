"""The layers of kaohe/ import only downwards: core → rulebook → inputs → engine → analysis →
output → charts → report → cli, and nothing imports the command line."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kaohe"
ORDER = ["core", "rulebook", "inputs", "engine", "analysis", "output", "charts", "report", "cli"]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kaohe" and parts[1] in ORDER else None


def _imports(path: Path):
    """Every kaohe module a file imports (absolute or relative, at any depth), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = ["kaohe", *path.relative_to(PACKAGE).with_suffix("").parts][:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(pkg[: len(pkg) - node.level + 1] + ([base] if base else []))
            yield base, node.lineno
            for a in node.names:
                yield f"{base}.{a.name}", node.lineno


def test_every_import_points_down_the_layers():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        here = rel.parts[0] if len(rel.parts) > 1 else None
        if here is None:  # kaohe/__init__.py, __main__.py: the public front loads lazily
            continue
        for module, line in _imports(path):
            there = _layer(module)
            if there is None or there == here:
                continue
            if ORDER.index(there) > ORDER.index(here):
                wrong.append(f"{rel}:{line} ({here}) imports {module} ({there})")
    assert not wrong, "imports pointing up the layers:\n" + "\n".join(wrong)


def test_core_imports_nothing_else_of_kaohe():
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for module, line in _imports(path):
            assert _layer(module) in (None, "core"), f"{path.name}:{line} imports {module}"


def test_the_layers_are_the_packages():
    assert sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()) == sorted(ORDER)


def test_notebooks_use_only_the_public_front():
    """A notebook imports ``kaohe`` and ``kaohe.analysis`` only, so moving a module inside a
    layer never breaks a notebook."""
    import json

    import kaohe

    for nb in sorted((PACKAGE.parent / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kaohe"):
                    assert node.module in ("kaohe", "kaohe.analysis"), f"{nb.name}: from {node.module} import …"
                    if node.module == "kaohe":
                        assert all(a.name in kaohe.__all__ for a in node.names), nb.name
                elif isinstance(node, ast.Import):
                    assert all(a.name == "kaohe" or not a.name.startswith("kaohe") for a in node.names), nb.name
