"""Prompts versioned as files in the repository.

A prompt file is Markdown: YAML front matter with ``name`` and ``version``, then a
``## system`` and a ``## user`` section. The user section holds ``{placeholders}``
filled by :meth:`Prompt.render` (plain replacement, so JSON braces in the text need
no escaping). The prompt's ``version`` string also carries a hash of the file, so
an edit that forgets to bump ``version`` still changes every cache key.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

_SECTION = re.compile(r"^## (system|user)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str  # "<name>@<declared version>+<content hash>"
    system: str
    user: str

    def render(self, **values: str) -> list[dict[str, str]]:
        """Chat messages with the placeholders filled; a missing value is an error."""
        user = self.user
        for name, value in values.items():
            user = user.replace("{" + name + "}", value)
        left = re.findall(r"\{([a-z_]+)\}", user)
        if left:
            raise ValueError(f"prompt {self.name}: no value for {sorted(set(left))}")
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def load_prompt(path: Path) -> Prompt:
    """Read and check one prompt file."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path}: a prompt file starts with YAML front matter (---)")
    front, _, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(front) or {}
    if not {"name", "version"} <= set(meta):
        raise ValueError(f"{path}: front matter needs name and version")
    parts = _SECTION.split(body)
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    if set(sections) != {"system", "user"}:
        raise ValueError(f"{path}: needs exactly one '## system' and one '## user' section")
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return Prompt(
        name=str(meta["name"]),
        version=f"{meta['name']}@{meta['version']}+{digest}",
        system=sections["system"],
        user=sections["user"],
    )
