"""The fake Segment's package (DESIGN.md: `workspace` composes `segment`, `engage`, `translate` and `braze`).

For now it holds what replay and the fake Segment share: the delivery of one batch (`delivery`), the
attribution of a batched request to its events (`attribution`) and the `integrations` rules.
"""
