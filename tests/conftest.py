"""Shared test configuration: make tests/ importable for the helper modules (netns.py)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is a test extra; tests that need it import it themselves
    pass
else:
    # "ci": reproducible (derandomized), no per-example deadline on a loaded 2-core machine.
    from budget import examples

    settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                              max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("dev", deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
