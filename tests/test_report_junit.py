"""JUnit XML: one test case per checked file, failed by new blocking findings, errored by
unreadable input; counts on the suite agree with the cases."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

from detector.check import load_config, run_check
from detector.report.check import write_check
from detector.scanner import Scanner


def test_junit_has_a_case_per_file_and_fails_the_injected_one(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("THE HAGUE,LibertyCoin Netherlands (AP) — The court said.\n")
    (tmp_path / "good.md").write_text("Stocks rose on Monday, traders said.\n")
    (tmp_path / "broken.txt").write_bytes(b"\0\0")
    config = load_config(overrides={"model": "rules"}, cwd=tmp_path)
    result = run_check([str(tmp_path)], config, scanner=Scanner(model="rules"))
    out = io.StringIO()
    write_check("junit", result, out)
    root = ET.fromstring(out.getvalue().split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    cases = {Path(c.get("name", "")).name: c for c in suite.findall("testcase")}
    assert set(cases) == {"bad.md", "good.md", "broken.txt"}
    failure = cases["bad.md"].find("failure")
    assert failure is not None and "bad.md:1:11:" in (failure.text or "")
    assert cases["good.md"].find("failure") is None
    assert cases["broken.txt"].find("error") is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
