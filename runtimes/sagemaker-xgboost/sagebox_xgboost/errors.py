"""The algorithm toolkit's errors (sagemaker_algorithm_toolkit/exceptions.py of the XGBoost container).

Their message is the text the job's failure file carries, so it is built exactly as the container builds
it: the message, then " (caused by <ExceptionClass>)" when an underlying exception is known.
"""


class ToolkitError(Exception):
    def __init__(self, message=None, caused_by=None):
        if message:
            text = message
        elif caused_by is not None:
            text = str(caused_by)
        else:
            text = "unknown error occurred"
        if caused_by is not None:
            text += " (caused by {})".format(caused_by.__class__.__name__)
        super().__init__(text)
        self.message = text
        self.caused_by = caused_by


class AlgorithmError(ToolkitError):
    """A failure of the algorithm itself."""


class UserError(ToolkitError):
    """A failure the user's request or data caused."""


class PlatformError(ToolkitError):
    """A failure of the environment the algorithm runs in."""
