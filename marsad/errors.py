"""Typed errors with messages a user can act on. The CLI prints ``str(err)`` on one line and exits non-zero."""
from __future__ import annotations


class MarsadError(Exception):
    """Base of every error marsad raises on purpose."""


class InputError(MarsadError):
    """An input that cannot be read: names the file (or URL) and the problem."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class KnowledgeBaseError(MarsadError):
    """A knowledge-base data file that is malformed: names the file, the line and what is wrong."""


class StoreError(MarsadError):
    """The database cannot be opened or written."""
