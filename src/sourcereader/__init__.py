"""sourcereader: read primary historical documents sentence-aligned with their translations.

Importing the package pulls in nothing heavy: only the version lives here.
"""

__version__ = "0.1.0"
