"""Token amounts: integers in the smallest unit below the API, decimal strings above it."""


def to_decimal_string(raw: int, decimals: int, *, grouped: bool = False) -> str:
    """``1500000, 6`` → ``"1.5"``; exact (no float), no exponent, trailing zeros dropped.

    ``grouped`` adds thousands separators to the whole part, for people rather than programs.
    """
    sign = "-" if raw < 0 else ""
    whole, fraction = divmod(abs(raw), 10**decimals)
    whole_text = f"{whole:,}" if grouped else str(whole)
    fraction_text = str(fraction).rjust(decimals, "0").rstrip("0") if decimals else ""
    return f"{sign}{whole_text}.{fraction_text}" if fraction_text else f"{sign}{whole_text}"
