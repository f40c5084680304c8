"""A throwaway database for one benchmark run: a fresh PostgreSQL database on the server
RWAKIT_DATABASE_URL names (dropped afterwards), else a temporary SQLite file."""

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from rwakit.store.engine import driver_url


class BenchDatabase:
    def __init__(self, server_url: str | None) -> None:
        self.server_url = server_url if server_url and server_url.startswith("postgres") else None
        self.kind = "postgresql" if self.server_url else "sqlite"
        self.url = ""
        self._name = f"rwakit_bench_{os.getpid()}_{int(time.time())}"
        self._tmp: tempfile.TemporaryDirectory | None = None

    def _admin(self):
        return create_engine(driver_url(self.server_url), isolation_level="AUTOCOMMIT")

    def __enter__(self) -> "BenchDatabase":
        if self.server_url:
            admin = self._admin()
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self._name}"'))
            admin.dispose()
            self.url = (
                make_url(self.server_url)
                .set(database=self._name)
                .render_as_string(hide_password=False)
            )
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="rwakit-bench-")
            self.url = f"sqlite:///{Path(self._tmp.name) / 'bench.db'}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self.server_url:
            admin = self._admin()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
            admin.dispose()
        elif self._tmp is not None:
            self._tmp.cleanup()
