"""Every table rwakit keeps, on one ``MetaData``: what migrations and tests compare against.

Each area declares its tables in its own module on ``tables.metadata``; importing this
module makes sure all of them are registered.
"""

from rwakit.store import account_tables, read_model_tables, tables

metadata = tables.metadata

__all__ = ["account_tables", "metadata", "read_model_tables"]
