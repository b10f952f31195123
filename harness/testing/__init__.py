"""Test-side tools: the pytest plugin, in-process routing, a live server, Hypothesis strategies."""
