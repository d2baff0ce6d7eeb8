"""JSON text that can always be written: readable UTF-8, with a fall back to ASCII escapes
when a field holds lone surrogates (JSON input may carry `"\\udc80"`)."""

from __future__ import annotations

import json


def dumps(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True)
    return text
