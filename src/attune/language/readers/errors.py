"""The one error readers raise."""


class ReaderError(Exception):
    """Raised when an input cannot be read; the message is one line meant for the user."""
