"""JSON output: an array of result records, each with the ``path`` it came from."""

from __future__ import annotations

import json
from typing import IO

from . import FileResult


def write_json(results: list[FileResult], out: IO[str]) -> None:
    records = []
    for fr in results:
        record = {"path": fr.path, **fr.result.model_dump(mode="json")}
        if fr.label is not None:
            record["label"] = fr.label
        records.append(record)
    out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")  # one write: fast on any stream
