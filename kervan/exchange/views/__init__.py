"""The officer UI of the exchange: our nationals abroad (with the proof of each envelope),
asking a host state about one of our nationals, and the dead letters. The domain is
``kervan.exchange``; this package only parses forms, calls its services and renders."""
