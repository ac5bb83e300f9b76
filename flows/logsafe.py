"""Keep full ID numbers out of every log line, whoever logs it (our code, Prefect, libraries)."""

from __future__ import annotations

import logging

from pipeline.idnumbers import redact_id_numbers


class RedactIdNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_id_numbers(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_redaction() -> None:
    """Attach the filter to every handler that exists now (root, Prefect's and others)."""
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if not any(isinstance(f, RedactIdNumbers) for f in handler.filters):
                handler.addFilter(RedactIdNumbers())
