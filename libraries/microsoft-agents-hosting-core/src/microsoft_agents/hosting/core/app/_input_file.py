"""Files that arrive with an activity, and the plug-ins that download them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._turn_context import TurnContext

__all__ = ["InputFile", "InputFileDownloader"]


@dataclass
class InputFile:
    """A file the user sent, already downloaded.

    ``content_url`` is where it came from (when known) and ``filename`` its name.
    """

    content: bytes
    content_type: str
    content_url: str | None = None
    filename: str | None = None


class InputFileDownloader(ABC):
    """Downloads the files attached to an incoming activity.

    Listed in ``ApplicationOptions.file_downloaders``; before routing, the application calls
    each downloader and appends what it returns to ``state.temp.input_files``.
    """

    @abstractmethod
    async def download_files(self, context: TurnContext) -> list[InputFile]:
        """Download the files of ``context.activity`` this downloader understands."""
