from tests.settlement.conftest import worked_example  # noqa: F401  (SPEC §3's worked example)
