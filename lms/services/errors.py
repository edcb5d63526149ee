"""Domain errors that views turn into messages at the right field."""


class DomainError(Exception):
    """A rule of the domain was broken; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
