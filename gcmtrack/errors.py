"""The project's own exception types; the CLI maps each to a message and an exit code."""


class GcmtrackError(Exception):
    """Base class of every error gcmtrack raises on purpose."""


class DataError(GcmtrackError):
    """The reference data (objectives/, processes/, states/) is inconsistent.

    The message names the file and the entry at fault.
    """

    def __init__(self, file: str, entry: str, message: str):
        self.file = file
        self.entry = entry
        super().__init__(f"{file}: {entry}: {message}")


class UnknownProcessError(GcmtrackError):
    """A process id that no file in processes/ defines."""


class UnknownEditionError(GcmtrackError):
    """A review cycle or IMRF edition that objectives/editions.yaml does not define."""


class StoreError(GcmtrackError):
    """The submission store cannot be opened or is not a gcmtrack store."""


class WorkbookError(GcmtrackError):
    """A workbook could not be read at all; carries the located problem."""

    def __init__(self, problem):
        self.problem = problem
        super().__init__(problem.message)
