"""The `closedloop` command; the Typer app is assembled in ``pipelines.cli.main``."""
