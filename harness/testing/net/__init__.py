"""In-process networking for tests: a table of routed hosts, the client seams that reach them with no
socket, and the socket-level guard that refuses everything else.

Layers, bottom up: `routes` (host -> app), `wsgi` and `wire` (HTTP/1.1 bytes <-> the app), `egress`
and `session` (what is allowed, what was blocked), the seams (`guard`, `sockets`, `async_httpx`,
`async_aiohttp`, `mockers`), and `activation`, which puts them in place while a session is active.
"""

__all__: list[str] = []
