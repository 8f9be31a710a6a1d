"""The suite read as the behaviour list of each app: `make behaviours` prints, per app, each
test module's first docstring line and its tests' names as sentences.

    python -m tests.behaviours [app ...]
"""

import ast
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def behaviours(module: Path) -> tuple[str, list[str]]:
    """The module's promise (its docstring's first line) and its tests, as sentences."""
    tree = ast.parse(module.read_text())
    promise = (ast.get_docstring(tree) or "").split("\n\n")[0].replace("\n", " ")
    names = [
        node.name.removeprefix("test_").replace("_", " ")
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    ]
    return promise, names


def main(apps: list[str]) -> None:
    folders = [TESTS / app for app in apps] or sorted(
        path for path in TESTS.iterdir() if path.is_dir() and (path / "__init__.py").exists()
    )
    for folder in [*folders, *([] if apps else [TESTS])]:
        modules = sorted(folder.glob("test_*.py"))
        if not modules:
            continue
        print(f"\n# {folder.relative_to(TESTS.parent)}")
        for module in modules:
            promise, names = behaviours(module)
            print(f"\n{module.stem.removeprefix('test_').replace('_', ' ')}: {promise}")
            for name in names:
                print(f"  - {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
