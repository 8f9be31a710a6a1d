from tests.finance.books import november_books, signed_sheets  # noqa: F401
from tests.kpi.conftest import kpi_order  # noqa: F401  (seed 004's issued order)
from tests.settlement.conftest import worked_example  # noqa: F401  (SPEC §3's worked example)
