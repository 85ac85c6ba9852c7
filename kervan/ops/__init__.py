"""Running a node: start-up checks, readiness, metrics, structured logs, backups."""
