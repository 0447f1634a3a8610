"""Modules the run's later steps import, imported on a thread while dbt works.

Loading the definitions imports only what building them needs. The libraries below
are imported by the steps that use them (function-level imports in
``pipelines.knowledge``, ``pipelines.stats`` and ``pipelines.judge``, the GX check's
``schemas.marts``): imported with the definitions they were 4-6 s of every run's
start-up (docs/performance.md, *Start-up: only what the definitions need*). The dbt
step starts importing them on a daemon thread right after it launches dbt, while this
process only waits for dbt's events, so a run that reaches the steps using them pays
for them off its critical path.

wordfreq is not here: the KB lint steps use it before dbt. Its import calls
``inspect.stack()``, which looks up each frame's module by scanning ``sys.modules``, so
its cost grows with the modules loaded and the frames on the stack: 1.2 s under the
definitions' nested imports, 1.3 s in the lint step of a run (load ~6), 0.2 s before
Dagster is imported. ``closedloop run`` imports it first (pipelines/cli/run.py); the
KB modules import it where they use it.
"""

import contextlib
import importlib
import sys
import threading

from pipelines.defs.quality import SUITES_MODULE

# In the order the steps after the first dbt step need them: the judge (scikit-learn's
# metrics; a learned judge's pipeline), the statistics of the judge, annotation and
# monitoring steps (scipy.stats, statsmodels), the KB topics and gaps (k-means, TF-IDF),
# then the GX suites of the check after the second dbt step.
LATER_MODULES = (
    "sklearn.metrics",
    "sklearn.pipeline",
    "sklearn.compose",
    "sklearn.linear_model",
    "sklearn.model_selection",
    "sklearn.preprocessing",
    "scipy.stats",
    "statsmodels.stats.proportion",
    "statsmodels.stats.multitest",
    "statsmodels.stats.inter_rater",
    "sklearn.cluster",
    "sklearn.feature_extraction.text",
    "sklearn.metrics.pairwise",
    "scipy.optimize",
    SUITES_MODULE,
)
THREAD_NAME = "closedloop-preload"


def import_later_modules_in_background() -> None:
    """Start importing :data:`LATER_MODULES` on a daemon thread, unless they are all
    imported or a thread is importing them already. A failure there is left to the
    step's own import to report."""
    if all(name in sys.modules for name in LATER_MODULES) or any(
        thread.name == THREAD_NAME for thread in threading.enumerate()
    ):
        return
    threading.Thread(target=_import_all, name=THREAD_NAME, daemon=True).start()


def _import_all() -> None:
    for name in LATER_MODULES:
        with contextlib.suppress(Exception):  # the step imports it again and fails there
            importlib.import_module(name)
