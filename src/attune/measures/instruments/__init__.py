"""Bundled instruments as Attune YAML; a package so the files ship with every install."""
