import gc
import weakref

from rwakit.process_heap import freeze_startup_heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_startup_objects_leave_the_collectors_generations_and_its_garbage_goes_first() -> None:
    gc.disable()  # no automatic collection: only freeze_startup_heap's own can free the cycle
    kept = [Node()]
    cycle = Node()
    cycle.other = Node()
    cycle.other.other = cycle  # garbage only the collector can free
    gone = weakref.ref(cycle)
    del cycle
    assert gone() is not None
    try:
        freeze_startup_heap()
        assert gone() is None
        tracked = gc.get_objects()
        assert not any(o is kept for o in tracked)
        later = [Node()]
        assert any(o is later for o in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.enable()
