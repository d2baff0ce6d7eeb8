"""JUnit XML for CI test dashboards: one test case per checked file, failed by its new blocking
findings; unreadable inputs are errored test cases."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO

from detector.check import CheckResult
from detector.report.text import line_of

SUITE = "detector check"


def write(result: CheckResult, out: IO[str]) -> None:
    cases = []
    errors = list(result.errors)
    for path in result.files:
        case = ET.Element("testcase", classname="detector.check", name=path, file=path)
        mine_errors = [e for e in errors if e.source == path or e.source.startswith(path + ":")]
        for error in mine_errors:
            ET.SubElement(
                case, "error", type="InputError", message=f"{error.source}: {error.message}"
            )
            errors.remove(error)
        mine = [f for f in result.findings if f.path == path and f.shown]
        failing = [f for f in mine if f.failing]
        if failing:
            failure = ET.SubElement(
                case, "failure", type=failing[0].finding.kind,
                message=f"{len(failing)} new blocking finding(s)",
            )  # fmt: skip
            failure.text = "\n".join(line_of(f) for f in failing)
        others = [f for f in mine if not f.failing]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(line_of(f) for f in others)
        cases.append(case)
    for error in errors:  # inputs that are no file: a missing path, an unreadable folder
        case = ET.Element("testcase", classname="detector.check", name=error.source)
        ET.SubElement(case, "error", type="InputError", message=error.message)
        cases.append(case)
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)),
        "errors": str(sum(1 for c in cases if c.find("error") is not None)),
    }
    root = ET.Element("testsuites", name=SUITE, **counts)
    suite = ET.SubElement(root, "testsuite", name=SUITE, **counts)
    suite.extend(cases)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode") + "\n")
