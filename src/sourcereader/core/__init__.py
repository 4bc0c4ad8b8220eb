"""The headless core: documents, segmentation, alignment, translation, annotations, store, export.

Nothing in this package imports textual, rich or argostranslate at import time (an
import-linter contract and tests/test_import_contract.py enforce it).
"""
