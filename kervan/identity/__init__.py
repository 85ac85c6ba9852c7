"""Identity: names, scripts and machine readable zones."""
