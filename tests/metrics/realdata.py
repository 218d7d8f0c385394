"""Moved to ``tests/support/realdata.py``.

TODO(issue 11): kept only for ``tests/insights/test_realdata.py``, which is being reworked by
the insights split; remove this file once that test imports from ``tests.support.realdata``.
"""

from tests.support.realdata import full_panel as full_panel
