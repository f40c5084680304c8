import pytest

from rwakit.store.engine import driver_url, make_engine


@pytest.mark.parametrize(
    ("plain", "driver"),
    [
        ("postgresql://app@db:5432/rwakit", "postgresql+psycopg"),
        ("postgres://app@db/rwakit", "postgresql+psycopg"),
        ("postgresql+psycopg://app@db/rwakit", "postgresql+psycopg"),
        ("sqlite:///state/rwakit.db", "sqlite"),
    ],
)
def test_plain_urls_get_rwakits_driver(plain: str, driver: str) -> None:
    assert driver_url(plain).drivername == driver


@pytest.mark.parametrize("bad", ["mysql://app@db/rwakit", "not a url"])
def test_other_databases_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"PostgreSQL or SQLite|not valid"):
        driver_url(bad)


def test_the_password_stays_out_of_errors() -> None:
    with pytest.raises(ValueError) as caught:
        driver_url("mysql://app:hunter2@db/rwakit")
    assert "hunter2" not in str(caught.value)


def test_pool_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="pool size must be at least 1"):
        make_engine("sqlite:///x.db", pool_size=0)
