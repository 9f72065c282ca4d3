"""YAML rule packs of the language audit engine (data, read through importlib.resources)."""
