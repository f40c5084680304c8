"""Named steps where a fault drill may kill the worker like `kill -9` would."""

import os

CRASH_POINT = "RWAKIT_WORKER_CRASH_AT"
POINTS = ("after_intake", "after_signing", "after_sending", "after_mining", "after_recovery")


def crash_if(point: str) -> None:
    if os.environ.get(CRASH_POINT) == point:
        os._exit(9)
