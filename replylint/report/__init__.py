"""Batch reports for QA leads: a streaming aggregate, an HTML report and a summary file.

>>> agg = Aggregate()
>>> agg.add(summarise({"id": "1", "lang": "en", "compliant": True, "score": 90}, line=1))
>>> agg.total.linted
1
"""

from __future__ import annotations

from .aggregate import Aggregate, Summary, summarise
from .html import render_report, write_report
from .summary import write_summary

__all__ = ["Aggregate", "Summary", "render_report", "summarise", "write_report", "write_summary"]
