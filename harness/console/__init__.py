"""The console: a web page at `/_harness/ui/` to look at a fake Braze instead of reading its JSON.

- **Live stream**: every request, newest first, arriving without a reload (server-sent events), with
  filters and, per request, the body, the answer, contract violations, notes and replay's diagnosis,
  and a curl command that sends it again;
- **Users** and a profile page shaped like Braze's; **segments** (evaluate or save a filter) and
  **cohorts** with their members; **controls**: reset, faults, data import keys.

`mount(fake.app, fake)` adds it to a fake's Flask app. Server-rendered (Jinja2), a little plain
JavaScript, every asset in the package: no build step, no CDN. The control plane's guard
(`harness.braze.protect`: Host, Origin, preflight-free posts, framing) covers every console request,
and a control token is asked once and kept in an HttpOnly, SameSite=Strict cookie.
"""

from __future__ import annotations

from harness.console.app import create_console_app
from harness.console.mount import PREFIX, mount

__all__ = ["PREFIX", "create_console_app", "mount"]
