"""The errors a user can cause, in a module light enough for the CLI to import on every run.

Each carries a one-line message that says what is wrong and what to do; the CLI prints it
and exits with status 2.
"""

from __future__ import annotations


class DocumentError(ValueError):
    """A document or translation file that cannot be used, with a one-line reason."""


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""
