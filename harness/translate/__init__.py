"""What Segment's Braze destinations send for a Segment event, as data (no I/O)."""
