"""Engines: one folder per task, one Protocol per task, a registry built from settings."""
