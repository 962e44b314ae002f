"""The error a worker job raises for the client (status and message, never a stack trace)."""


class Refused(Exception):
    """A request the worker will not or cannot answer, with the status and message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
