"""The border: the exit check an officer runs on a departing traveller's passport."""
