"""The terminal reader (Textual). Everything that imports textual lives under this package."""
