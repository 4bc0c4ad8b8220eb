"""Machine-translation problems a user can act on, and the guidance that goes with them.

No model is a normal state: :func:`missing_model_message` names the package needed and the
two ways to get it. A basic install without the ``translate`` extra is one too:
:func:`missing_extra_message` says what to install.
"""

from __future__ import annotations

PIVOT_LANGUAGE = "en"
"""With no direct package (``de → ru``), machine translation goes through this language."""

#: Modules of the optional ``translate`` extra; importing one of them may fail on a basic install.
EXTRA_MODULES = frozenset({"argostranslate", "ctranslate2", "sentencepiece", "stanza", "torch", "spacy"})


class MachineTranslationError(Exception):
    """Base class for machine-translation problems a user can act on; ``str()`` is the guidance."""


class ModelMissing(MachineTranslationError):
    """No installed package (direct or through English) translates ``source`` into ``target``."""

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target
        super().__init__(missing_model_message(source, target))


class PackageError(MachineTranslationError):
    """A package file or an installed package is unusable, or the index cannot be reached."""


def package_name(source: str, target: str) -> str:
    """The Argos package name for a language pair, as ``argospm`` spells it: ``translate-ru_en``."""
    return f"translate-{source}_{target}"


def missing_extra_message(missing: str) -> str:
    """Guidance for when the ``translate`` extra is not installed (``missing``: the module not found)."""
    return (
        f"Machine translation needs sourcereader's optional 'translate' packages (missing: {missing}).\n"
        "Install them (torch pinned, so pip does not fetch the 6 GB CUDA build):\n"
        "  pip install -c constraints.txt -e '.[translate]'      (in a checkout)\n"
        "  pip install torch==2.13.0 'sourcereader[translate]'   (elsewhere)\n"
        "then a model: sourcereader models install ru en"
    )


def missing_model_message(source: str, target: str) -> str:
    """Guidance for when no model translates ``source`` → ``target``: which package, and how to get it."""
    name = package_name(source, target)
    lines = [
        f'No translation model for {source} → {target} is installed; it needs the Argos package "{name}".',
        # Each command on a line of its own, its comment above: it stays copyable when wrapped.
        "Get it in one of two ways:",
        "  from the Argos package index (needs a network):",
        f"    sourcereader models install {source} {target}",
        "  from a package file (.argosmodel) downloaded elsewhere:",
        "    sourcereader models install FILE.argosmodel",
    ]
    if PIVOT_LANGUAGE not in (source, target):
        lines.append(
            f"Alternatively {package_name(source, PIVOT_LANGUAGE)} and "
            f"{package_name(PIVOT_LANGUAGE, target)} together translate through English."
        )
    return "\n".join(lines)
