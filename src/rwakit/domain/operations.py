"""Operation priorities and lifecycle states, as the numbers stored in operation rows."""

from enum import IntEnum


class Priority(IntEnum):
    """Lower goes first. Above the fee ceiling only ``URGENT`` operations are sent."""

    URGENT = 0
    NORMAL = 1
    DEFERRABLE = 2

    @classmethod
    def parse(cls, value: "int | str | Priority") -> "Priority":
        """A priority from its number or name; a clear ``ValueError`` for anything else."""
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, str) and not value.isdigit():
                return cls[value.upper()]
            return cls(int(value))
        except (KeyError, ValueError):
            names = ", ".join(f"{p.name.lower()} ({p.value})" for p in cls)
            raise ValueError(f"unknown priority {value!r}; use one of {names}") from None


class OperationState(IntEnum):
    """``accepted → submitted → confirmed → indexed``, or ``failed`` from any of them."""

    ACCEPTED = 0
    SUBMITTED = 1
    CONFIRMED = 2
    INDEXED = 3
    FAILED = 9
