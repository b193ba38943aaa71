"""Persistence: SQLAlchemy 2.x mapped tables, the workspace file, migrations, repositories."""
