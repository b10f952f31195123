"""Field definitions shared by the Braze actions (labels, types, defaults), as published in 3.497.0.

A field is a plain dict in actions-core's vocabulary (`label`, `type`, `required`, `allowNull`,
`multiple`, `properties`, `default`, `choices`, `format`, ...). Labels matter: Segment's schema errors
quote them (`External User ID must be a string but it was an object.`). Field order matters too: it
is the order of the default mapping, of the payload keys and of the required-field errors.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BATCH_SIZE",
    "BRAZE_ID",
    "ENABLE_BATCHING",
    "EXTERNAL_ID",
    "UPDATE_EXISTING_ONLY",
    "USER_ALIAS",
    "field",
    "path",
    "user_alias_field",
]

Field = dict[str, Any]


def field(label: str, kind: str, **options: Any) -> Field:
    """A field definition; keyword names follow actions-core (`allowNull`, `multiple`, ...)."""
    return {"label": label, "type": kind, **options}


def path(value: str) -> dict[str, str]:
    """A `@path` directive."""
    return {"@path": value}


def user_alias_field(*, required_parts: bool = False, required: Any = False, **extra: Any) -> Field:
    """The `user_alias` object field; some actions require its two parts, some do not."""
    parts = {"required": True} if required_parts else {}
    out = field(
        "User Alias Object",
        "object",
        properties={
            "alias_name": field("Alias Name", "string", **parts),
            "alias_label": field("Alias Label", "string", **parts),
        },
        **extra,
    )
    if required:
        out["required"] = required
    return out


EXTERNAL_ID = field("External User ID", "string", default=path("$.userId"))
USER_ALIAS = user_alias_field()
BRAZE_ID = field("Braze User Identifier", "string", allowNull=True, default=path("$.properties.braze_id"))
UPDATE_EXISTING_ONLY = field("Update Existing Only", "boolean", default=False)
ENABLE_BATCHING = field("Batch Data to Braze", "boolean", default=True)
BATCH_SIZE = field("Batch Size", "number", default=75, unsafe_hidden=True)
