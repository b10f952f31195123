"""Engage simulator: audiences and computed traits computed from a Segment event stream."""
