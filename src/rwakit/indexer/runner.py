"""``IndexerRunner``: the loop of ``rwakit indexer`` — one active indexer per chain.

It holds the lease ``indexer:<chain id>`` and renews it (the heartbeat) between steps; a
standby polls for the lease and takes over within about ``LEASE_TTL`` + 1 s after the
holder stops. Even if two ever overlap, the cursor only moves from the value a step read,
so a stale one's commit fails instead of applying a range twice.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from rwakit.chain.rpc_errors import RpcError, RpcUnavailable
from rwakit.indexer.fetcher import ChainMoved
from rwakit.indexer.index import ChainIndex, CursorMoved
from rwakit.store.leases import LeaseStore

log = logging.getLogger(__name__)

LEASE_TTL = 6.0
STANDBY_POLL = 1.0
# transient failures: wait a moment and try the step again
RETRYABLE = (RpcError, RpcUnavailable, ChainMoved, CursorMoved, DBAPIError)


class IndexerRunner:
    def __init__(
        self,
        engine: Engine,
        index: ChainIndex,
        chain_id: int,
        *,
        poll_interval: float = 0.2,
        holder: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._leases = LeaseStore(engine)
        self._index = index
        self.lease_name = f"indexer:{chain_id}"
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._poll = poll_interval
        self._clock = clock
        self._stopping = threading.Event()
        self.leading = False

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        """Index until ``stop``; as a standby until the lease is free."""
        last_renew = 0.0
        try:
            while not self._stopping.is_set():
                now = self._clock()
                try:
                    if not self.leading:
                        if self._leases.acquire(self.lease_name, self.holder, LEASE_TTL, now):
                            log.info("took the lease %s", self.lease_name)
                            self.leading, last_renew = True, now
                            self._index.load()
                        else:
                            self._stopping.wait(STANDBY_POLL)
                        continue
                    if now - last_renew > LEASE_TTL / 4:
                        if not self._leases.renew(self.lease_name, self.holder, LEASE_TTL, now):
                            log.warning("lost the lease %s", self.lease_name)
                            self.leading = False
                            self._index.rest()
                            continue
                        last_renew = now
                except DBAPIError as error:
                    # the database blinked: try again shortly (a lease that runs out meanwhile
                    # goes to a standby; the cursor check keeps ranges from applying twice)
                    log.warning("lease %s: %s", self.lease_name, error)
                    self._stopping.wait(STANDBY_POLL)
                    continue
                if self._step() == 0:
                    self._stopping.wait(self._poll)
        finally:
            if self.leading:
                self.leading = False
                try:
                    self._leases.release(self.lease_name, self.holder)
                except DBAPIError as error:  # it runs out by itself
                    log.warning("could not release lease %s: %s", self.lease_name, error)

    def _step(self) -> int:
        try:
            return self._index.step()
        except RETRYABLE as error:
            log.warning("indexer step failed, retrying: %s", error)
            self._stopping.wait(self._poll)
            return -1
