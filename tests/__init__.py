"""closedloop's test suite.

A regular package on purpose: textstat 0.7.8 (a dependency) installs a stray top-level
``tests`` package into site-packages, and a regular package anywhere on sys.path wins
over a namespace package, so without this file ``tests.shared_data`` and the spawned
test helpers (``tests.core...``) would resolve to textstat's folder.
"""
