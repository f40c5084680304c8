"""``freeze_startup_heap``: for a long-running process, once it has built what it runs with.

Everything start-up made (routes, models, ABIs, clients, compiled decoders) lives as long
as the process, yet each full collection of Python's cyclic garbage collector walked all
of it while requests waited. Frozen, it is out of the collector's generations: measured on
the API's 70/30 mix at concurrency 200, server CPU per request went from ~294 to ~190 µs
and P95 from 184 to ~92 ms (``rwakit bench api``). Reference counting still frees frozen
objects that go away; only cycles among them would stay.
"""

import gc


def freeze_startup_heap() -> None:
    gc.collect()  # start-up's own garbage goes first, not into the frozen heap
    gc.freeze()
