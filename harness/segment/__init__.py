"""Segment Spec events: parse and validate identify / track calls (contracts/segment)."""
