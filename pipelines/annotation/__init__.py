"""Human annotation: the labeling schema, Label Studio round trip, simulated labelers
and the Parquet annotation store. No Dagster imports."""
