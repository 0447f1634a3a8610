"""Data contracts: pandera schemas (and GX suites), one module per dataset."""
