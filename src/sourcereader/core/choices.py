"""The fixed choices (annotation kinds, highlight colours, relation tags, export formats) shared by
the core and the command line, and the one check of a language code (a light module: no imports)."""

from __future__ import annotations

#: Languages pySBD has rules for (ISO 639-1). Here rather than in ``segmenting`` so that checking
#: a language code (``align --one-per-line`` does nothing else with it) does not import pySBD.
SUPPORTED_LANGUAGES: frozenset[str] = frozenset(
    ("am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy")
    + ("it", "ja", "kk", "mr", "my", "nl", "pl", "ru", "sk", "ur", "zh")
)

#: Kinds of annotation.
KINDS: tuple[str, ...] = ("note", "highlight", "tag", "relation")
#: Highlight colours and styles the reader can show.
HIGHLIGHTS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "orange", "purple", "grey", "underline")
#: Tags suggested for relation notes (any tag is allowed).
RELATION_TAGS: tuple[str, ...] = ("omission", "addition", "mistranslation", "term", "date-discrepancy")
#: How exported tags are written: as a list, or as #hashtags.
TAGS_AS: tuple[str, ...] = ("list", "hashtags")
#: Export formats.
EXPORT_FORMATS: tuple[str, ...] = ("markdown", "w3c")


class UnknownLanguage(ValueError):
    """A language code sourcereader has no sentence rules for; the message lists the known ones."""


def check_language(code: str) -> str:
    """``code`` if it is one of :data:`SUPPORTED_LANGUAGES`; else UnknownLanguage with the one message
    every command gives: ``unknown language 'xx' (known: am, ar, …)``."""
    if code not in SUPPORTED_LANGUAGES:
        known = ", ".join(sorted(SUPPORTED_LANGUAGES))
        raise UnknownLanguage(f"unknown language {code!r} (known: {known})")
    return code
