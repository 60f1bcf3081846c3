class BusinessRuleError(Exception):
    """A rule of the Quy chế or the Thủ tục refused the action; `message` is Vietnamese, for the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
