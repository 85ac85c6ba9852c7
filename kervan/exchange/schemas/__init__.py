"""JSON Schemas of the exchange's message types, one file per type and version (package data)."""
