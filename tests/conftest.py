"""Shared test configuration: make tests/ importable for the helper modules (netns.py)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
