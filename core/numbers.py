"""The one reading of a number a person types: in a form, in the API, in a workbook's cell.

Python's Decimal takes far more than a person means by a number: "NaN", "sNaN", "Infinity",
"1e1000000" (whose int() builds a million digits and holds the server for a minute), digits of
other scripts ("١٢"). A typed number here is plain decimal notation only: an optional sign,
ASCII digits (thousands grouped by commas, as 1,250.50 or 1,234,567, every group of three
digits), at most one decimal point, and no more digits than the field holds. Everything else is
refused with a message naming the value. The full-width comma (，) groups thousands as the
comma does: a Chinese input method in its own punctuation types it for ",".
"""

import math
import re
from decimal import Decimal

from django.utils.translation import gettext as _

PLAIN = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]*)?")
SHOWN = 30  # a refused value is quoted up to this many characters


class NumberError(ValueError):
    """A typed value that is not a number the field can hold; str() is the message."""


def parse_decimal(value, *, max_digits: int, decimal_places: int) -> Decimal | None:
    """The exact Decimal of a typed number (None when empty), or NumberError saying why not.

    A float (a workbook's cell, a JSON number) is read as the shortest text that gives it
    back (849.06, never 849.05999...), so it obeys the same rule as text.
    """
    whole_digits = max_digits - decimal_places
    text = _text(value, whole_digits).replace("，", ",")
    if text == "":
        return None
    shown = text if len(text) <= SHOWN else text[:SHOWN] + "…"
    if not PLAIN.fullmatch(text) or not any(char in "0123456789" for char in text):
        raise NumberError(
            _("“%(value)s” is not a number: write it in digits, such as 1250.50.")
            % {"value": shown}
        )
    whole, _point, fraction = text.lstrip("+-").replace(",", "").partition(".")
    if len(whole.lstrip("0")) > whole_digits:
        raise _too_large(shown, whole_digits)
    if len(fraction.rstrip("0")) > decimal_places:
        if decimal_places == 0:
            raise NumberError(_("“%(value)s” is not a whole number") % {"value": shown})
        raise NumberError(
            _("%(value)s has more than %(places)s decimals")
            % {"value": shown, "places": decimal_places}
        )
    return Decimal(text.replace(",", ""))


def parse_whole(value, *, max_digits: int) -> int | None:
    """A typed whole number (a count, a quantity of pieces), by the same rule."""
    number = parse_decimal(value, max_digits=max_digits, decimal_places=0)
    return None if number is None else int(number)


def parse_for(field, value) -> Decimal | None:
    """parse_decimal with the digits of a model's DecimalField."""
    return parse_decimal(value, max_digits=field.max_digits, decimal_places=field.decimal_places)


def _too_large(shown, whole_digits) -> NumberError:
    return NumberError(
        _("%(value)s is too large: at most %(digits)s digits before the decimal point.")
        % {"value": shown, "digits": whole_digits}
    )


def _text(value, whole_digits) -> str:
    """What was typed; a float written out in plain digits (at most 330 of them)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # True is an int to Python, not a number to a person
        raise NumberError(_("not a number"))
    if not isinstance(value, float):
        return str(value).strip()
    if not math.isfinite(value):
        raise NumberError(_("“%(value)s” is not a number") % {"value": value})
    number = Decimal(repr(value))
    if number and number.adjusted() >= whole_digits:
        raise _too_large(repr(value), whole_digits)
    return format(number, "f")
