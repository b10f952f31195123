"""Public Hypothesis strategies: Segment events, Engage events, Braze request bodies."""
