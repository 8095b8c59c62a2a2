"""Vendor the web app's base map from npm into storyline/web/static/ (run by a developer, not by users).

    python scripts/vendor_web.py            # npm pack world-atlas@2.0.2, convert, write
    python scripts/vendor_web.py --tgz FILE # convert an already downloaded package

The web app draws its maps itself, in SVG, from country outlines in
``storyline/web/static/world.json``; nothing is fetched at run time. This
script takes Natural Earth's 1:50m countries from the npm package
``world-atlas`` (TopoJSON), decodes the arcs, and writes every country as one
SVG path in an equirectangular frame: x = longitude, y = -latitude, in
hundredths of a degree, with relative moves so the file stays small. Each
country keeps its bounding box, so a map draws only the countries in view.
The package name, version, licence and checksum go to ``VENDORED.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "world-atlas"
VERSION = "2.0.2"
SOURCE_FILE = "countries-50m.json"  # 1:50m: fine enough for a region, 750 KB of TopoJSON
STATIC = Path(__file__).resolve().parent.parent / "storyline" / "web" / "static"
UNIT = 100  # hundredths of a degree (about 1 km): finer than any screen pixel of a regional map


def npm_pack(directory: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}"], cwd=directory, check=True, capture_output=True)
    return directory / f"{PACKAGE}-{VERSION}.tgz"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Quantized, delta-encoded TopoJSON arcs to absolute longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs (a negative index ~i is arc i reversed), dropping each shared end point."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def ring_path(points: list[tuple[float, float]]) -> str:
    """One closed SVG subpath in hundredths of a degree, y pointing south, relative moves."""
    grid = [(round(lon * UNIT), round(-lat * UNIT)) for lon, lat in points]
    kept = [grid[0]]
    for point in grid[1:]:
        if point != kept[-1]:
            kept.append(point)
    if len(kept) < 3:
        return ""
    parts = [f"M{kept[0][0]} {kept[0][1]}l"]
    deltas = [f"{x - px} {y - py}" for (px, py), (x, y) in zip(kept, kept[1:], strict=False)]
    return parts[0] + " ".join(deltas) + "z"


def convert(topology: dict) -> list[dict]:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        paths, xs, ys = [], [], []
        for polygon in polygons:
            for ring in polygon:
                points = ring_points(ring, arcs)
                path = ring_path(points)
                if path:
                    paths.append(path)
                    xs += [p[0] for p in points]
                    ys += [p[1] for p in points]
        if paths:
            countries.append(
                {
                    "id": geometry.get("id"),
                    "name": geometry.get("properties", {}).get("name", ""),
                    "bbox": [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)],
                    "d": "".join(paths),
                }
            )
    return countries


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tgz", type=Path, help=f"a downloaded {PACKAGE}-{VERSION}.tgz (default: npm pack)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tgz = args.tgz or npm_pack(Path(tmp))
        digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
        with tarfile.open(tgz) as archive:
            topology = json.load(archive.extractfile(f"package/{SOURCE_FILE}"))  # type: ignore[arg-type]
            licence = archive.extractfile("package/LICENSE").read().decode()  # type: ignore[union-attr]
    countries = convert(topology)
    world = {
        "source": f"npm {PACKAGE}@{VERSION} {SOURCE_FILE} (Natural Earth 1:50m admin 0 countries)",
        "unit": UNIT,
        "frame": "equirectangular: x = longitude * unit, y = -latitude * unit",
        "countries": countries,
    }
    STATIC.mkdir(parents=True, exist_ok=True)
    (STATIC / "world.json").write_text(json.dumps(world, separators=(",", ":"), ensure_ascii=False))
    vendored = {
        "world.json": {
            "package": PACKAGE,
            "version": VERSION,
            "registry": "npm",
            "file": SOURCE_FILE,
            "sha256_of_package": digest,
            "license": "ISC (world-atlas); the Natural Earth data is in the public domain",
            "license_text": licence,
            "converted_by": "scripts/vendor_web.py",
        }
    }
    (STATIC / "VENDORED.json").write_text(json.dumps(vendored, indent=2, ensure_ascii=False) + "\n")
    print(f"{len(countries)} countries -> {STATIC / 'world.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
