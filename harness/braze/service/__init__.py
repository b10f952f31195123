"""Braze's behaviour: one module per endpoint family (`track`, `users`, `cohorts`), the rules they share
(`rules`, `attributes`, `values`, `ecommerce`), every Braze number once (`limits`), authentication, rate
limits, faults, segment filters, seeding, and the `pipeline` every request goes through on a `Runtime`.

Shapes and ranges live in `contracts/braze/*.json`; numbers in `limits.py`; behaviour in `<endpoint>.py`.
Knows no HTTP: a request arrives as a `RawRequest` and leaves as a `Reply`.
"""
