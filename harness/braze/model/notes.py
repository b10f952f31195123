"""What the fake says about a request beyond Braze's answer, as coded notes: `Note(code, where, text)`.

The text is for people and may be reworded freely; the code is for programs (replay's diagnoses, tests,
the journal's readers) and stays. `where` names the object a note is about (`events[3]`,
`cohort_changes[0]`, `aliases_to_identify[1]`), or is None for the whole request. `kind` says what the
note is: a `warning` (Braze answered 2xx and did something the sender may not expect), an object `error`
(the object is in Braze's `errors` array, with the same text as its `type`), or the `refusal` of the
whole request (its detail, also sent as `X-Harness-Detail`).

Codes are dotted: the family first (`limit.`, `user.`, `cohort.`, `catalog.`, `send.`, `value.`, `auth.`, ...), so
a reader can match a family (`code.startswith("limit.")`) or one code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

__all__ = ["Code", "Note", "NoteKind"]

NoteKind = Literal["warning", "error", "refusal"]


class Code(StrEnum):
    # -- limits: something over one of Braze's numbers (service/limits.py) --------------------------
    LIMIT_STRING_LENGTH = "limit.string_length"
    LIMIT_EVENT_PROPERTIES = "limit.event_properties"
    LIMIT_PROPERTY_BYTES = "limit.property_bytes"
    LIMIT_NESTED = "limit.nested_attribute"
    LIMIT_OBJECTS = "limit.objects_per_request"
    LIMIT_IDS = "limit.ids_per_request"
    LIMIT_RATE = "limit.rate"
    LIMIT_BODY_BYTES = "limit.body_bytes"
    # -- users: who an object names, and whether Braze creates, finds or changes them -------------
    USER_UPDATE_ONLY_UNKNOWN = "user.update_only_unknown"
    USER_BRAZE_ID_UNKNOWN = "user.braze_id_unknown"
    USER_IDENTIFIERS_IGNORED = "user.identifiers_ignored"
    USER_NOT_FOUND = "user.not_found"
    USER_ALREADY_IDENTIFIED = "user.already_identified"
    USER_AMBIGUOUS = "user.ambiguous"
    USER_ALIAS_CLASH = "user.alias_clash"
    USER_ALIAS_EXISTS = "user.alias_exists"
    USER_ALIAS_TAKEN = "user.alias_taken"
    USER_NOT_DELETED = "user.not_deleted"
    USER_PUSH_TOKEN_EXISTS = "user.push_token_exists"
    # -- values: a field Braze reads differently, or not at all ------------------------------------
    VALUE_INVALID = "value.invalid"
    VALUE_NOT_SET = "value.not_set"
    VALUE_COUNTRY_UNMATCHED = "value.country_unmatched"
    VALUE_FUTURE_TIME = "value.future_time"
    VALUE_NESTED_DROPPED = "value.nested_dropped"
    VALUE_CURRENCY = "value.currency"
    VALUE_ECOMMERCE = "value.ecommerce_schema"
    VALUE_PUSH_TOKEN_IMPORT = "value.push_token_import"
    CONTRACT = "contract"
    # -- cohorts -----------------------------------------------------------------------------------
    COHORT_UNKNOWN_USER = "cohort.unknown_user"
    COHORT_DEVICE_OF_IDENTIFIED = "cohort.device_of_identified_user"
    COHORT_RENAMED = "cohort.renamed"
    COHORT_UNNAMED = "cohort.unnamed"
    COHORT_INVALID_FIELD = "cohort.invalid_field"
    # -- catalogs (service/catalog_*.py) ---------------------------------------------------------------
    CATALOG_NOT_FOUND = "catalog.not_found"
    CATALOG_ITEM_NOT_FOUND = "catalog.item_not_found"
    CATALOG_INVALID_ITEMS = "catalog.invalid_items"
    """A catalog item request refused with Braze's item error ids (ids, fields, types, sizes, nesting, keys)."""
    CATALOG_INVALID_DEFINITION = "catalog.invalid_definition"
    """A `POST /catalogs` refused with Braze's catalog error ids (name, description, fields)."""
    CATALOG_NAME_TAKEN = "catalog.name_taken"
    CATALOG_DESCRIPTION_MISSING = "catalog.description_missing"
    CATALOG_VALUE_COERCED = "catalog.value_coerced"
    CATALOG_DELETE_UNKNOWN_ITEM = "catalog.delete_unknown_item"
    # -- triggered sends (service/messaging.py, service/recipients.py) ---------------------------------
    SEND_UNKNOWN_ID = "send.unknown_id"
    """A campaign_id / canvas_id the workspace does not have (once it declares any)."""
    SEND_INVALID_REQUEST = "send.invalid_request"
    """Broadcast / recipients / identifiers / send_to_existing_only rules of the whole request."""
    SEND_INACTIVE = "send.inactive"
    SEND_RECIPIENT_UNKNOWN = "send.recipient_unknown"
    SEND_DUPLICATE_RECIPIENT = "send.duplicate_recipient"
    SEND_EMPTY_ALIAS = "send.empty_user_alias"
    SEND_ATTRIBUTES_IGNORED = "send.attributes_ignored"
    SEND_BROADCAST = "send.broadcast_unresolved"
    SEND_AUDIENCE = "send.audience_not_evaluated"
    # -- the request as a whole --------------------------------------------------------------------
    REQUEST_UNKNOWN_FIELDS = "request.unknown_fields"
    REQUEST_NO_VALID_DATA = "request.no_valid_data"
    REQUEST_BAD_BODY = "request.bad_body"
    REQUEST_NO_SELECTOR = "request.no_selector"
    REQUEST_NOT_FOUND = "request.not_found"
    REQUEST_METHOD = "request.method_not_allowed"
    AUTH_INVALID_KEY = "auth.invalid_key"
    AUTH_PARTNER_KEY = "auth.invalid_partner_key"
    AUTH_CLIENT_SECRET = "auth.invalid_client_secret"
    FAULT = "fault"
    HARNESS_ERROR = "harness.error"
    BAD_SYNTAX = "request.bad_syntax"


@dataclass(frozen=True, slots=True)
class Note:
    code: Code
    where: str | None
    text: str
    kind: NoteKind = "warning"
    subject: str | None = None
    """The identifier the note is about (`external_id 'u1'`), when it names one user."""

    def __str__(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text

    def at(self, where: str) -> Note:
        """The same note about the object at `where`."""
        return Note(self.code, where, self.text, self.kind, self.subject)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Note:
        return cls(Code(data["code"]), data["where"], data["text"], data["kind"], data.get("subject"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": str(self.code), "where": self.where, "text": self.text, "kind": self.kind}
        if self.subject is not None:
            out["subject"] = self.subject
        return out
