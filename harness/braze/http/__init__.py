"""HTTP around the pipeline: the Flask app (routes only), the direct WSGI path for plain Braze POSTs, the
`/_harness/` control plane, and the waitress live server that turns drop and timeout faults into real ones."""
