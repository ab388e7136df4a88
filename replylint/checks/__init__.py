"""Named checks used by rule files (``check: urls.v1``).

Importing this package registers every built-in check with
:func:`replylint.matching.register_check`.
"""

from __future__ import annotations

from . import clarity, structure, tone_placeholders, web  # noqa: F401
