"""Database adapter: engines, tables, migrations and the repositories of the write path."""
