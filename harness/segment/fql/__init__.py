"""FQL, the filter language of Segment subscriptions (`type = "track" and event != "Order Completed"`).

A reproduction of what Segment's destination-subscriptions package does with an FQL string: its
lexer (fql-ts), its parser and its matcher. Supported: `type`, `event`, `name`, `userId`,
`properties.x`, `traits.x`, `context.x`; `=`, `!=`, `<`, `<=`, `>`, `>=`, `= null` / `!= null`,
`= true` / `= false`; `and`, `or`, one level of parentheses; `contains(x, "s")` and
`match(x, "s*")` / `match(x, "*s")`, optionally negated with `!`.

Segment's own quirks are kept: a group takes the last `and`/`or` it saw as its operator for all of
its terms, single-quoted strings keep their quotes, and `event != "X"` is true for events without a
name (identify calls).
"""

from __future__ import annotations

from harness.segment.fql.lexer import FQLError
from harness.segment.fql.matcher import Predicate, compile_fql, fields_read, subscribed
from harness.segment.fql.parser import parse_fql

__all__ = ["FQLError", "Predicate", "compile_fql", "fields_read", "parse_fql", "subscribed"]
