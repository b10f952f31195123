"""Public Hypothesis strategies: Segment events, Engage events, Braze request bodies.

Hypothesis is an extra (`pip install 'segment-braze-harness[strategies]'`): as a hard dependency its
pytest plugin would load at every pytest start of every project that installs the harness.
"""

try:
    import hypothesis  # noqa: F401
except ImportError:  # pragma: no cover - only without the extra
    raise ImportError(
        "harness.testing.strategies needs Hypothesis: pip install 'segment-braze-harness[strategies]'"
    ) from None
