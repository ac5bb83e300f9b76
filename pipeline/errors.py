"""The exception taxonomy. Each failure class carries an exit code and a hint for the operator.

Content problems are findings, never exceptions; these are for what stops a
file, a packet or the whole program.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    BAD_ARGS = 2
    INPUT_FILE = 3
    MISSING_DEPENDENCY = 4
    POLICY_DATA = 5
    ENGINE = 6
    INTERNAL = 15


class PrecheckError(Exception):
    exit_code: ExitCode = ExitCode.INTERNAL
    hint: str = ""


class PolicyDataError(PrecheckError):
    exit_code = ExitCode.POLICY_DATA
    hint = "检查 policy_data/ 中的文件：错误信息给出文件名和字段"


class MissingDependencyError(PrecheckError):
    exit_code = ExitCode.MISSING_DEPENDENCY
    hint = "运行 make demo 或 make test 以安装缺少的组件"


class InputFileError(PrecheckError):
    """A file cannot be read as a document. Becomes an UNREADABLE_FILE finding."""

    exit_code = ExitCode.INPUT_FILE
    hint = "请重新上传清晰、完整的文件"


class UnsupportedFileError(InputFileError):
    hint = "请上传 JPEG、PNG、TIFF 图片或 PDF 文件"


class EncryptedPdfError(InputFileError):
    hint = "请提供未加密的 PDF"


class FileLimitError(InputFileError):
    hint = "文件过大或页数过多，请拆分或压缩后重新上传"


class EngineError(PrecheckError):
    """An OCR engine crashed or produced nothing where it must produce something."""

    exit_code = ExitCode.ENGINE
    hint = "检查 OCR 引擎安装（tesseract、rapidocr）"
