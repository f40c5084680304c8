"""The base of every error an operator can fix without reading a traceback."""


class RwakitError(Exception):
    """A failure with a known cause.

    ``str(error)`` is one human line: what is wrong, then what to do about it.
    The CLI prints exactly that line and exits non-zero.
    """

    def __init__(self, message: str) -> None:
        # Collapse whitespace so the message stays a single line wherever it came from.
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)
