"""`detector check`, the CI gate over published content: configuration, content-keyed baseline,
inline suppressions and allowlists, and the run that sorts findings into new and accepted."""

from __future__ import annotations

from detector.check.config import CheckConfig, load_config
from detector.check.runner import EVASION_RULES, CheckResult, Located, fails, run_check

__all__ = [
    "EVASION_RULES",
    "CheckConfig",
    "CheckResult",
    "Located",
    "fails",
    "load_config",
    "run_check",
]
