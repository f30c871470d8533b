"""Import path kept for code written against the published module layout."""

from ._input_file import InputFile, InputFileDownloader

__all__ = ["InputFile", "InputFileDownloader"]
