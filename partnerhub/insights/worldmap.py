"""The world map: country outlines from the shipped Natural Earth TopoJSON (data/README.md), projected
once per process with the Natural Earth projection into SVG paths. Rendered on the server, so the map is
plain SVG with one link per country: no tiles, no script, no network."""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GEOMETRY = Path(__file__).parent / "data" / "countries-110m.json"
SCALE = 160.0  # SVG units per radian
WIDTH, HEIGHT = 880, 380  # the view box: the projected world without Antarctica
LEFT, TOP = WIDTH / 2, 222.0
SKIP = {"010"}  # Antarctica: no partnerships, a third of the picture


@dataclass(frozen=True)
class Shape:
    m49: str
    name: str
    path: str


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth I projection (Šavrič, Jenny, Patterson, 2011), as d3-geo's naturalEarth1."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return LEFT + x * SCALE, TOP - y * SCALE


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs in degrees (TopoJSON stores them quantised and delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> str:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    # A ring that crosses the antimeridian (Fiji, Chukotka) is cut there rather than drawn across the map.
    pieces: list[list[tuple[float, float]]] = [[]]
    for n, (lon, lat) in enumerate(points):
        if n and abs(lon - points[n - 1][0]) > 180:
            pieces.append([])
        pieces[-1].append(natural_earth(lon, lat))
    end = "Z" if len(pieces) == 1 else ""
    return "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in piece) + end for piece in pieces)


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    topology = json.loads(GEOMETRY.read_text())
    arcs = _arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if not code or code in SKIP:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        path = "".join(_ring(ring, arcs) for polygon in polygons for ring in polygon)
        out.append(Shape(m49=code, name=geometry["properties"]["name"], path=path))
    return tuple(out)


def bins(counts: list[int], n: int = 5) -> list[int]:
    """Upper bounds of `n` colour classes over the non-zero counts (quantiles, distinct, ascending)."""
    values = sorted(c for c in counts if c)
    if not values:
        return []
    bounds = [values[min(len(values) - 1, math.ceil(len(values) * k / n) - 1)] for k in range(1, n + 1)]
    return sorted(set(bounds))


def colour_class(count: int, bounds: list[int]) -> int:
    """0 for none, 1.. for the class of a count."""
    if not count:
        return 0
    for k, bound in enumerate(bounds, 1):
        if count <= bound:
            return k
    return len(bounds)
