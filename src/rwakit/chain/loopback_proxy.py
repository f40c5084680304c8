"""A TCP proxy on 127.0.0.1 for tests and fault drills: stop it and the node behind is "down".

Bytes are copied both ways by two threads per connection; fine for the handful of
keep-alive connections an RPC pool opens. It only ever binds loopback.
"""

import contextlib
import socket
import threading
from types import TracebackType
from typing import Self

LOOPBACK = "127.0.0.1"
CHUNK = 64 * 1024


def _drop(sock: socket.socket) -> None:
    # shutdown() first: it wakes a thread blocked in recv() on this socket; close() alone does not.
    with contextlib.suppress(OSError):  # already closed or never connected
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class LoopbackProxy:
    """Listens on a free loopback port at once; ``stop()`` and ``start()`` keep that port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0  # chosen by the OS on the first start, reused after
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._live: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> Self:
        if self._listener is not None:
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Rebinding the same port must work while old connections sit in TIME_WAIT.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((LOOPBACK, self.port))
            listener.listen(64)
        except OSError:
            listener.close()
            raise
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener,), name=f"proxy-{self.port}", daemon=True
        )
        self._acceptor.start()
        return self

    def stop(self) -> None:
        """Refuse new connections and cut the live ones, as a crashed node would."""
        listener, self._listener = self._listener, None
        if listener is None:
            return
        _drop(listener)  # on Linux, shutdown() of a listener wakes the blocked accept()
        if self._acceptor is not None:
            self._acceptor.join()
        with self._lock:
            live, self._live = self._live, set()
        for sock in live:
            _drop(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stop() shut the listener
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()  # target down: the client sees its connection closed
                continue
            with self._lock:
                if self._listener is not listener:  # stopped while connecting
                    _drop(client)
                    _drop(upstream)
                    return
                self._live.update((client, upstream))
            for sock in (client, upstream):
                # Without it, Nagle plus delayed ACKs add ~40 ms to each small HTTP exchange.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(CHUNK):
                sink.sendall(data)
        except OSError:
            pass  # either side went away
        # HTTP needs no half-close: when one side ends, end the whole connection.
        with self._lock:
            self._live.discard(source)
            self._live.discard(sink)
        _drop(source)
        _drop(sink)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
