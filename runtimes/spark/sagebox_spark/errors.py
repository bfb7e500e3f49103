"""smspark's errors (smspark/errors.py): the failure text written to /opt/ml/output/message and the exit code."""
import sys

MESSAGE_FILE = "/opt/ml/output/message"


class SmsparkError(Exception):
    prefix = "Algorithm Error"
    exit_code = 1

    def __init__(self, message, caused_by=None, exit_code=None):
        text = message
        if caused_by is not None:
            text += f" (caused by {caused_by.__class__.__name__})"
        super().__init__(text)
        self.message = text
        self.caused_by = caused_by
        if exit_code is not None:
            self.exit_code = exit_code

    def failure_message(self):
        message = f"{self.prefix}: {self.message}"
        if self.caused_by is not None:
            message += f"\n\nCaused by: {self.caused_by}"
        return message

    def report(self, message_file=None):
        """Writes the failure message (SageMaker keeps its first 1,024 bytes as ExitMessage) and says it on stderr."""
        message_file = message_file or MESSAGE_FILE
        text = self.failure_message()
        print(text, file=sys.stderr, flush=True)
        try:
            with open(message_file, "w") as f:
                f.write(text.encode()[:1024].decode(errors="ignore"))
        except OSError as error:
            print(f"sagebox smspark-submit: could not write {message_file}: {error}", file=sys.stderr, flush=True)
        return self.exit_code


class AlgorithmError(SmsparkError):
    prefix = "Algorithm Error"
    exit_code = 1


class CustomerError(SmsparkError):
    prefix = "Customer Error"
    exit_code = 2
