"""The one result type: a located, scored span. Rules, the model and the report all speak `Finding`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Literal

Kind = Literal["injection", "residue", "obfuscation"]
KINDS: tuple[Kind, ...] = ("injection", "residue", "obfuscation")
Field = Literal["text", "title"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A span of one field of a document, in code-point offsets into that field exactly as read.

    A detector returns findings with one rule id each; scoring merges overlapping ones into a
    finding that lists every rule that fired. `line` and `column` are 1-based and filled in by
    scoring, when the text is at hand.
    """

    kind: Kind
    start: int
    end: int
    score: float
    rules: tuple[str, ...]
    reason: str
    text: str = ""
    field: Field = "text"
    line: int = 0
    column: int = 0
    extra: dict[str, float] = dc_field(default_factory=dict, compare=False, hash=False)

    def with_(self, **changes: object) -> Finding:
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "line": self.line,
            "column": self.column,
            "score": round(self.score, 4),
            "rules": list(self.rules),
            "reason": self.reason,
        }
