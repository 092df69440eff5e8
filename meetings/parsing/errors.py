"""Errors raised by the minutes parser for input it cannot use."""

from __future__ import annotations


class InputError(ValueError):
    """The input cannot be parsed; ``message`` says why, ``line`` where (1-based) if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"{message} (line {line})" if line else message)
