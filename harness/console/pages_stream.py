"""The live stream (`/`), its event source (`/stream`) and one request's page (`/requests/<id>`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, stream_with_context

from harness.braze import STOPPING, JournalEntry
from harness.console.context import state
from harness.console.curl import INLINE_LIMIT, as_curl, body_bytes
from harness.console.diagnosis import explain
from harness.console.display import BODY_LIMIT, clip, pretty
from harness.console.entries import RequestFilter, row_of
from harness.console.sse import stream

__all__ = ["PAGE_ROWS", "stream_blueprint"]

PAGE_ROWS = 200


def _row_html(entry: JournalEntry) -> str:
    return render_template("_row.html", row=row_of(entry))


def stream_blueprint() -> Blueprint:
    bp = Blueprint("stream", __name__)

    @bp.get("/")
    def index() -> str:
        fake = state().fake
        wanted = RequestFilter.from_args(request.args)
        entries = fake.journal.entries()
        shown = [e for e in entries if wanted.matches(e)][-PAGE_ROWS:][::-1]
        paths = sorted({e.path for e in entries} | ({wanted.path} if wanted.path else set()))
        newest = entries[-1].id if entries else 0
        return render_template(
            "stream.html",
            rows=[row_of(e) for e in shown],
            wanted=wanted,
            paths=paths,
            after=newest,
            total=len(entries),
            dropped=fake.journal.dropped,
        )

    @bp.get("/stream")
    def events() -> Response:
        console = state()
        wanted = RequestFilter.from_args(request.args)
        last = request.headers.get("Last-Event-ID") or request.args.get("after") or "0"
        after = int(last) if last.isdigit() else 0
        stopping = request.environ.get(STOPPING)
        disconnected = request.environ.get("waitress.client_disconnected", lambda: False)

        def done() -> bool:
            return bool((stopping is not None and stopping.is_set()) or disconnected())

        body = stream(console.hub, wanted, _row_html, after=after, done=done, lifetime=console.stream_lifetime)
        response = Response(stream_with_context(body), mimetype="text/event-stream")
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Accel-Buffering"] = "no"
        return response

    def entry_or_404(entry_id: int) -> JournalEntry:
        found = state().fake.journal.entries(lambda e: e.id == entry_id)
        if not found:
            abort(404, f"request #{entry_id} is not in the journal (it keeps the newest entries only)")
        return found[0]

    @bp.get("/requests/<int:entry_id>")
    def detail(entry_id: int) -> str:
        entry = entry_or_404(entry_id)
        body = clip(pretty(entry.body) if entry.body is not None else (entry.raw or ""), BODY_LIMIT)
        answer = clip(pretty(entry.response), BODY_LIMIT)
        notes = [(note, explain(note)) for note in entry.notes]
        return render_template(
            "request.html",
            entry=entry,
            row=row_of(entry),
            body=body,
            answer=answer,
            notes=notes,
            curl=as_curl(entry, request.host_url, f"request-{entry_id}-body.json"),
            body_file=len(body_bytes(entry)) > INLINE_LIMIT,
            headers=sorted(entry.headers.items()),
        )

    @bp.get("/requests/<int:entry_id>.json")
    def detail_json(entry_id: int) -> Response:
        data: Any = entry_or_404(entry_id).to_json()
        response = Response(pretty(data), mimetype="application/json")
        response.headers["Content-Disposition"] = f'attachment; filename="request-{entry_id}.json"'
        return response

    @bp.get("/requests/<int:entry_id>/body")
    def body_download(entry_id: int) -> Response:
        response = Response(body_bytes(entry_or_404(entry_id)), mimetype="application/octet-stream")
        response.headers["Content-Disposition"] = f'attachment; filename="request-{entry_id}-body.json"'
        return response

    return bp
