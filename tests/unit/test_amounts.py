import pytest

from rwakit.domain.amounts import to_decimal_string


@pytest.mark.parametrize(
    ("raw", "decimals", "grouped", "text"),
    [
        (0, 18, False, "0"),
        (1_500_000, 6, False, "1.5"),
        (250_000 * 10**18, 18, True, "250,000"),
        (1, 18, False, "0.000000000000000001"),
        (-1_234_500, 3, True, "-1,234.5"),
        (42, 0, False, "42"),
    ],
)
def test_decimal_strings_are_exact(raw: int, decimals: int, grouped: bool, text: str) -> None:
    assert to_decimal_string(raw, decimals, grouped=grouped) == text
