"""Fake Braze: REST endpoints with Braze's rules, contracts, profiles and cohorts."""
