"""Numbers for the redaction tests, each check digit computed here by an implementation independent
of the code under test (no stdnum, no phonenumbers); none is a real person's number."""

from __future__ import annotations

from inspection.redaction import DETECTORS

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SPOKEN = "零幺二三四五六七八九"
DIGIT_CHARS = frozenset(
    "0123456789０１２３４５６７８９" "零〇洞幺一壹二两兩贰貳三叁參四肆五伍六陆陸七柒拐八捌九玖勾"
)
PLACEHOLDER = {kind: detector.placeholder for kind, detector in DETECTORS.items()}


def id_number(region: str = "110105", birth: str = "19491231", sequence: str = "002") -> str:
    body = region + birth + sequence
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def id_number_ending_in_x() -> str:
    return next(n for s in range(1000) if (n := id_number(sequence=f"{s:03d}")).endswith("X"))


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    doubled = [int(d) * (1 + i % 2) for i, d in enumerate(reversed(digits))]
    return sum(v // 10 + v % 10 for v in doubled) % 10 == 0


def with_luhn(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if luhn_ok(prefix + d))


def spoken(digits: str, one: str = "幺") -> str:
    return "".join(one if d == "1" else SPOKEN[int(d)] if d.isdigit() else "叉" for d in digits)


def grouped(number: str, sizes: tuple[int, ...], separator: str = " ") -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start:start + size])
        start += size
    return separator.join(part for part in parts if part)


def wrong_check(number: str) -> str:
    """The number with another last digit, one that is not Luhn-valid either."""
    return next(number[:-1] + d for d in "0123456789" if d != number[-1] and not luhn_ok(number[:-1] + d))


def id_but_no_card(region: str = "110105", birth: str = "19491231") -> str:
    """An ID-number-shaped string with a correct check character that is not Luhn-valid."""
    return next(n for s in range(1000) if not luhn_ok(n := id_number(region, birth, f"{s:03d}")))


def count_digits(text: str) -> int:
    return sum(char in DIGIT_CHARS for char in text)


MOBILE = "13812345678"
CARD16 = with_luhn("622202123456789")
CARD19 = with_luhn("621700000012345678")
CARD13 = with_luhn("400000000001")
ID = id_number()
ID_X = id_number_ending_in_x()
LEGACY_ID = "110105491231002"
ORDER_LUHN = with_luhn("202406100945223")  # an order number that happens to be Luhn-valid
