"""The fake's state, and nothing else: configuration, instances, workspaces of profiles (store, profiles,
cohorts, data import keys), the request journal, fault rules and the coded notes the journal keeps.

Knows no HTTP and no rules: `service` changes it, `backend` reads it back.
"""
