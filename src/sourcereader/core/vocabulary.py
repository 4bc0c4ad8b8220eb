"""Fixed vocabularies shared by the core and the command line (a light module: no imports)."""

from __future__ import annotations

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
