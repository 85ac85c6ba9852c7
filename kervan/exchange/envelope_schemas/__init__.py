"""JSON Schemas of the exchange's envelopes, receipts and message bodies, one file per type and
version (package data; named apart from ``schemas.py``, the API's pydantic shapes)."""
