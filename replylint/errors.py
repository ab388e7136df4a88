"""One family of errors. The CLI turns them into exit code 2, the API into 4xx."""

from __future__ import annotations


class ReplylintError(Exception):
    """Base of every error replylint reports to a user (never a traceback)."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InputError(ReplylintError):
    """The text or record cannot be linted (empty, binary, not UTF-8 …)."""

    code = "invalid-input"
    http_status = 422


class TooLargeError(InputError):
    code = "too-large"
    http_status = 413


class LanguageError(InputError):
    code = "unsupported-language"


class ConfigError(ReplylintError):
    """A configuration file or option is wrong; the message names the file and key."""

    code = "invalid-config"


class RuleFileError(ConfigError):
    """A rule or profile file is invalid; the message names the file and field."""

    code = "invalid-rule"
