"""The supervision app's data, one module per topic; every model is importable from here."""

from attune.supervision.models.pairs import SupervisionPair

__all__ = ["SupervisionPair"]
