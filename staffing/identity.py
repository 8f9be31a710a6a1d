"""Personal data of 附件5: an ID number is kept as a keyed hash (matchable, not readable) and a
mask; a phone number is shown masked."""

import hashlib
import hmac
import re

from django.conf import settings

ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"


def normalize_id_number(value: str) -> str:
    return "".join(value.split()).upper()


def check_character(first17: str) -> str:
    """GB 11643: the 18th character of an ID number, from its first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11]


def is_valid_id_number(number: str) -> bool:
    return bool(ID_PATTERN.match(number)) and check_character(number[:17]) == number[-1]


def id_number_digest(number: str) -> str:
    return hmac.new(
        settings.PERSONAL_DATA_KEY.encode(), number.encode(), hashlib.sha256
    ).hexdigest()


def mask_id_number(number: str) -> str:
    """5101**********123X."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678; short numbers keep only their last two digits."""
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:]
