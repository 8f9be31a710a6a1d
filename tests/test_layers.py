"""The apps depend one way (README, Architecture): each imports only the apps beneath it.

    core ← notifications ← archive ← contracts ← staffing ← orders ← worklogs / assessment / kpi
         ← governance ← settlement ← finance ← reports ← dashboard

Within the middle tier, only kpi imports assessment (a KPI period is scored on an assessment
template). Every import counts, inside functions too; `demo` and `config` sit on top.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RANK = {
    "core": 0,
    "notifications": 0.5,
    "archive": 1,
    "contracts": 2,
    "staffing": 3,
    "orders": 4,
    "worklogs": 5,
    "assessment": 5,
    "kpi": 5,
    "governance": 6,
    "settlement": 7,
    "finance": 8,
    "reports": 8.5,
    "dashboard": 9,
}
SIDEWAYS = {("kpi", "assessment")}


def imports_of(app: str) -> set[tuple[str, str]]:
    """(file, imported app) for every import of another app in the app's code."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in RANK and top != app:
                    found.add((str(path.relative_to(ROOT)), top))
    return found


@pytest.mark.parametrize("app", RANK)
def test_an_app_imports_only_the_apps_beneath_it(app):
    upward = sorted(
        (path, other)
        for path, other in imports_of(app)
        if RANK[other] > RANK[app] or (RANK[other] == RANK[app] and (app, other) not in SIDEWAYS)
    )
    assert upward == []
