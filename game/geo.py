"""Geodesy for the map: the projection from latitude/longitude to kilometres and back.

Engine layer, pure maths. The map is laid out on a Lambert conformal conic projection of a
sphere, with standard parallels at 30.5 N and 36.5 N: between 29 N and 37.6 N its scale error
stays under 1%, so hex distances read as real distances anywhere on the map.
Projected coordinates are kilometres, x to the east and y to the north of the origin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance along the earth's surface (haversine, mean radius) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class LambertConformal:
    """Spherical Lambert conformal conic (Snyder, Map Projections, eq. 15-1 to 15-5)."""

    lat1: float = 30.5
    lat2: float = 36.5
    lat0: float = 33.3
    lon0: float = 41.9
    radius_km: float = EARTH_RADIUS_KM

    @property
    def _n(self) -> float:
        p1, p2 = math.radians(self.lat1), math.radians(self.lat2)
        return math.log(math.cos(p1) / math.cos(p2)) / math.log(
            math.tan(math.pi / 4 + p2 / 2) / math.tan(math.pi / 4 + p1 / 2)
        )

    @property
    def _f(self) -> float:
        p1 = math.radians(self.lat1)
        n = self._n
        return math.cos(p1) * math.tan(math.pi / 4 + p1 / 2) ** n / n

    def _rho(self, lat: float) -> float:
        return self.radius_km * self._f / math.tan(math.pi / 4 + math.radians(lat) / 2) ** self._n

    def forward(self, lat: float, lon: float) -> tuple[float, float]:
        """(lat, lon) in degrees -> (x east, y north) in km."""
        n = self._n
        rho = self._rho(lat)
        theta = n * math.radians(lon - self.lon0)
        return rho * math.sin(theta), self._rho(self.lat0) - rho * math.cos(theta)

    def inverse(self, x: float, y: float) -> tuple[float, float]:
        """(x east, y north) in km -> (lat, lon) in degrees."""
        n = self._n
        dy = self._rho(self.lat0) - y
        rho = math.copysign(math.hypot(x, dy), n)
        theta = math.atan2(x, dy)
        lat = 2 * math.atan((self.radius_km * self._f / rho) ** (1 / n)) - math.pi / 2
        return math.degrees(lat), self.lon0 + math.degrees(theta / n)

    def to_dict(self) -> dict:
        return {
            "name": "Lambert conformal conic (sphere)",
            "lat1": self.lat1,
            "lat2": self.lat2,
            "lat0": self.lat0,
            "lon0": self.lon0,
            "radius_km": self.radius_km,
        }

    @classmethod
    def from_dict(cls, d: dict) -> LambertConformal:
        return cls(d["lat1"], d["lat2"], d["lat0"], d["lon0"], d["radius_km"])
