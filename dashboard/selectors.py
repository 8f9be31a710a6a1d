from datetime import date

from core.todos import SIDES, Desk, Todo, registry


def dashboard(*, user, today: date) -> list[Todo]:
    """SPEC §8: what waits for this user, with counts and links: the to-dos every app
    registers (`<app>/todos.py`), of each side the user is on, in the page's order."""
    desk = Desk(user, today)
    entries = sorted(registry, key=lambda entry: (SIDES.index(entry.side), entry.place))
    return [todo for entry in entries if entry.side(user) for todo in entry.todos(desk)]
