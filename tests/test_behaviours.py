"""The suite reads as each app's behaviour list (`make behaviours`): every test module opens with
the promise it checks, and its tests' names say the behaviours."""

from tests.behaviours import TESTS, behaviours


def test_every_test_module_says_what_it_promises():
    silent = [
        str(module.relative_to(TESTS))
        for module in TESTS.rglob("test_*.py")
        if not behaviours(module)[0]
    ]
    assert silent == []
