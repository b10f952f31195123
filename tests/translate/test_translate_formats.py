"""The shortcuts in the ajv formats accept only what the full checks accept (and the same for them).

`date-time` answers Segment's own timestamp form (`2024-03-01T12:00:00.000Z`) without the full check,
and `uri` plain `http(s)://host/path` URLs without the full RFC 3986 expression: both must be
sublanguages of the full checks, which these properties try on generated strings.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from harness.translate.formats import _PLAIN_URL, _date_time, _date_time_full, _uri, _uri_full


@given(
    st.tuples(
        st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.integers(0, 61),
        st.integers(0, 61), st.integers(0, 999),
    )
)  # fmt: skip
def test_the_date_time_shortcut_agrees_with_the_full_check(fields: tuple[int, ...]) -> None:
    year, month, day, hour, minute, second, millis = fields
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{millis:03d}Z"
    assert _date_time(text) is _date_time_full(text)


@given(st.from_regex(_PLAIN_URL, fullmatch=True))
def test_every_plain_url_is_a_uri_for_the_full_check(text: str) -> None:
    assert _uri_full(text) and _uri(text)


def test_non_plain_uris_still_take_the_full_check() -> None:
    assert _uri("mailto:a@example.com") and not _uri("not a uri") and _uri("https://x.example.com/a?b=1#c")
