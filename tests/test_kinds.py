"""The three ways to pay are kinds with strategies (`<app>/kinds.py`): no other code branches
on a contract's settlement mode or a sheet's kind."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "core",
    "contracts",
    "staffing",
    "orders",
    "worklogs",
    "assessment",
    "kpi",
    "settlement",
    "dashboard",
]
BRANCHING = re.compile(
    r"is_per_item|is_fixed|SettlementMode\.(PER_ITEM|FIXED_MILESTONE)"
    r"|settlement_mode\s*(==|!=)|(==|!=)\s*['\"](per_item|fixed_milestone|person_day)['\"]"
)


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "kinds.py":
                yield path
    yield from (ROOT / "templates").rglob("*.html")


def test_no_code_branches_on_the_payment_mode_outside_the_kind_strategies():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BRANCHING.search(line)
    ]
    assert found == []
