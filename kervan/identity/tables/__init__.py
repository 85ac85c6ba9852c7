"""Transliteration tables as data (JSON), read by kervan.identity.translit_tables."""
