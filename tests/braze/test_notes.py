"""Every note the fake writes is coded and names its object: what replay, tests and journal readers rely on."""

from __future__ import annotations

from harness.braze import Code, FakeBraze

T = "2024-03-01T12:00:00Z"


def _notes(reply: object) -> list[tuple[str, str | None, str]]:
    return [(n.code, n.where, n.kind) for n in reply.notes]  # type: ignore[attr-defined]


def test_warnings_errors_and_refusals_carry_codes_and_where() -> None:
    fake = FakeBraze()
    body = {
        "attributes": [{"external_id": "u1", "nick": "x" * 300}],
        "events": [
            {"external_id": "ghost", "name": "E", "time": T, "_update_existing_only": True},
            {"external_id": "u1", "name": "E", "time": "2024-02-30T00:00:00Z"},
        ],
        "purchases": [{"external_id": "u1", "product_id": "p", "currency": "EURO", "price": 1, "time": T}],
    }
    reply = fake.call("/users/track", body, api_key="k")
    assert reply.status == 201
    assert _notes(reply) == [
        (Code.VALUE_INVALID, "events[1]", "error"),
        (Code.VALUE_CURRENCY, "purchases[0]", "error"),
        (Code.LIMIT_STRING_LENGTH, "attributes[0]", "warning"),
        (Code.USER_UPDATE_ONLY_UNKNOWN, "events[0]", "warning"),
    ]
    errors = {(e["input_array"], e["index"]): e["type"] for e in reply.body["errors"]}
    assert [n.text for n in reply.notes if n.kind == "error"] == [errors[("events", 1)], errors[("purchases", 0)]]
    assert reply.notes[3].subject == "external_id 'ghost'"
    assert reply.warnings == [str(reply.notes[2]), str(reply.notes[3])]
    assert reply.warnings[1].startswith("events[0]: no user with external_id 'ghost'")


def test_a_refusal_is_one_coded_note_and_the_journal_keeps_notes_as_json() -> None:
    fake = FakeBraze()
    reply = fake.call("/users/track", {"events": [{"external_id": "u", "name": "E", "time": T}] * 76}, api_key="k")
    assert (reply.status, _notes(reply)) == (400, [(Code.LIMIT_OBJECTS, None, "refusal")])
    entry = fake.requests[-1]
    assert entry.notes == reply.notes
    assert entry.to_json()["notes"] == [
        {"code": "limit.objects_per_request", "where": None, "text": reply.notes[0].text, "kind": "refusal"}
    ]
    assert fake.call("/users/track", {}, api_key=None).notes[0].code == Code.AUTH_INVALID_KEY


def test_a_fatal_answer_keeps_each_objects_error_coded() -> None:
    reply = FakeBraze().call("/users/track", {"events": [{"external_id": "u", "name": "E", "time": "no"}]}, api_key="k")
    assert reply.status == 400
    assert _notes(reply) == [(Code.CONTRACT, "events[0]", "error")]  # "no" breaks the contract's time format
    assert reply.body["errors"] == [{"type": reply.notes[0].text, "input_array": "events", "index": 0}]
