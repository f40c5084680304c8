"""ISO-3166 numeric country codes (what the registry stores) and their alpha-2 names."""

ALPHA2 = {
    36: "AU",
    76: "BR",
    124: "CA",
    156: "CN",
    250: "FR",
    276: "DE",
    344: "HK",
    356: "IN",
    380: "IT",
    392: "JP",
    442: "LU",
    528: "NL",
    702: "SG",
    724: "ES",
    756: "CH",
    784: "AE",
    826: "GB",
    840: "US",
}


def country_label(numeric: int) -> str:
    """``840`` → ``"US"``; a code we have no name for shows as its number."""
    return ALPHA2.get(numeric, str(numeric))
