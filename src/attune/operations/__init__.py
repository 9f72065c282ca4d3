"""Running an installation: backups and restores (no models, no views)."""
