"""Jinja context for sqlfluff's templater (`library_path` in dbt_project/.sqlfluff).

sqlfluff's dbt builtins stub `var()` with a placeholder string, which cannot be
iterated as the metric vocabulary's `[rate, numerator, denominator]` lists. This
`var()` returns the real values from dbt_project.yml, so every model renders as dbt
renders it. sqlfluff gives a library's names precedence over its own builtins.
"""

from pathlib import Path
from typing import Any

import yaml

_PROJECT_VARS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "dbt_project.yml").read_text(encoding="utf-8")
)["vars"]


def var(name: str, default: Any = None) -> Any:
    """dbt's `var()`: the project's value, else the default, else the name itself."""
    if name in _PROJECT_VARS:
        return _PROJECT_VARS[name]
    return name if default is None else default
