"""The exchange between nodes: for now only the outbox that domain changes write to."""
