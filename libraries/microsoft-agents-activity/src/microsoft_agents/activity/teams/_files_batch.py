"""File consent and file cards, and the batch (bulk) messaging operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AliasChoices, Field

from .._model import AgentsModel

__all__ = [
    "BatchFailedEntriesResponse",
    "BatchFailedEntry",
    "BatchOperationResponse",
    "BatchOperationStateResponse",
    "CancelOperationResponse",
    "FileConsentCard",
    "FileConsentCardResponse",
    "FileDownloadInfo",
    "FileInfoCard",
    "FileUploadInfo",
    "TeamsBatchOperationResponse",
]


# -- files ---------------------------------------------------------------------------------


class FileConsentCard(AgentsModel):
    """Asks the user for permission to upload a file to their OneDrive.

    The contexts are echoed back in the ``fileConsent/invoke`` that answers the card.
    """

    description: str | None = None
    size_in_bytes: int | None = None
    accept_context: Any = None
    decline_context: Any = None


class FileUploadInfo(AgentsModel):
    """Where to upload a file the user accepted, and how it will be known afterwards."""

    name: str | None = None
    upload_url: str | None = None
    content_url: str | None = None
    unique_id: str | None = None
    file_type: str | None = None


class FileConsentCardResponse(AgentsModel):
    """Value of ``fileConsent/invoke``: ``action`` is ``accept`` or ``decline``."""

    action: str | None = None
    context: Any = None
    upload_info: FileUploadInfo | None = None


class FileDownloadInfo(AgentsModel):
    """Content of a ``application/vnd.microsoft.teams.file.download.info`` attachment."""

    download_url: str | None = None
    unique_id: str | None = None
    file_type: str | None = None
    etag: Any = None


class FileInfoCard(AgentsModel):
    """Content of a ``application/vnd.microsoft.teams.card.file.info`` attachment."""

    unique_id: str | None = None
    file_type: str | None = None
    etag: Any = None


# -- batch operations ----------------------------------------------------------------------


class BatchOperationResponse(AgentsModel):
    """The id of a started batch operation."""

    operation_id: str | None = None


class TeamsBatchOperationResponse(BatchOperationResponse):
    """A started batch operation together with the raw and parsed response body."""

    body_as_text: str | None = None
    parsed_body: BatchOperationResponse | None = None


class CancelOperationResponse(BatchOperationResponse):
    """Result of cancelling a batch operation, with the raw and parsed response body."""

    body_as_text: str | None = None
    parsed_body: BatchOperationResponse | None = None


class BatchOperationStateResponse(AgentsModel):
    """Progress of a batch operation.

    ``state`` is for example ``InProgress`` or ``Completed``; ``status_map`` counts the
    entries per HTTP status code; ``retry_after`` says when to poll again.
    """

    state: str | None = None
    status_map: dict[int, int] | None = None
    retry_after: datetime | None = None
    total_entries_count: int | None = None


class BatchFailedEntry(AgentsModel):
    """One recipient a batch operation failed for."""

    id: str | None = None
    error: str | None = None


class BatchFailedEntriesResponse(AgentsModel):
    """One page of the failed entries of a batch operation.

    Written as ``failedEntriesResponses``; the service spelling ``failedEntryResponses`` is
    accepted on input too.
    """

    continuation_token: str | None = None
    failed_entries_responses: list[BatchFailedEntry] | None = Field(
        default=None,
        alias="failedEntriesResponses",
        validation_alias=AliasChoices("failedEntriesResponses", "failedEntryResponses"),
    )
