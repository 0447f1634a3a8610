"""The demo's knowledge base: 20 short articles for the generator's intents.

Fifteen follow US conventions; five were written the way non-US teams write
(British, Australian, German-English, GDPR-only), so the demo's lint summary has
something to show. ``closedloop demo`` copies them into ``$CLOSEDLOOP_HOME/kb/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DEMO_KB = Path(__file__).with_name("demo_kb")


def write_demo_kb(directory: Path) -> list[Path]:
    """Copy the demo articles into ``directory``; files already there are kept as they are."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(DEMO_KB.glob("*.md")):
        target = directory / source.name
        if not target.exists():
            shutil.copyfile(source, target)
            written.append(target)
    return written
