"""Statistics for closedloop: sampling, sample sizes, labeler agreement, calibration.

Plain numpy/scipy/scikit-learn/statsmodels/krippendorff code with no Dagster imports;
import the submodules directly (``from pipelines.stats.agreement import ...``).
"""
