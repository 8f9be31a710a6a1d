"""The one place where money is rounded (四舍五入 to the fen) and spelled in capitals (大写)."""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def quantize(amount) -> Decimal:
    """Round to 0.01 half-up: 310.845 → 310.85 (Python's default would give 310.84)."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def rounded_to_sum(exact: list[Decimal]) -> list[Decimal]:
    """Exact shares in cents that add up to their rounded total: each rounded down, the cents
    left over going to the largest remainders (how a printed tax is spread over sheets, or a
    sheet's payable over its lines)."""
    parts = [share.quantize(CENT, rounding=ROUND_FLOOR) for share in exact]
    left = int((quantize(sum(exact, ZERO)) - sum(parts, ZERO)) / CENT)
    by_remainder = sorted(range(len(parts)), key=lambda i: parts[i] - exact[i])
    for index in by_remainder[:left]:
        parts[index] += CENT
    return parts


def with_tax(amount_excl_tax, rate) -> Decimal:
    """含税 = round(不含税 × (1 + 税率)), clause 4.6.6."""
    return quantize(Decimal(amount_excl_tax) * (1 + Decimal(rate)))


def without_tax(amount_incl_tax, rate) -> Decimal:
    return quantize(Decimal(amount_incl_tax) / (1 + Decimal(rate)))


def _integer_capitals(number: int) -> str:
    digits = str(number)
    length = len(digits)
    words = []
    pending_zero = False
    for index, char in enumerate(digits):
        power = length - 1 - index
        if char == "0":
            pending_zero = True
        else:
            if pending_zero and words:
                words.append("零")
            pending_zero = False
            words.append(_DIGITS[int(char)] + _SMALL_UNITS[power % 4])
        if power % 4 == 0 and power and int(digits[max(0, index - 3) : index + 1]):
            words.append(_GROUP_UNITS[power // 4])
    return "".join(words)


def to_capitals(amount) -> str:
    """人民币大写 as 《会计基础工作规范》 art. 52 writes it: 10.50 → 壹拾元伍角整, 0.05 → 伍分."""
    amount = quantize(amount)
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    words = sign
    if yuan:
        words += _integer_capitals(yuan) + "元"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    else:
        words += "整"
    return words
