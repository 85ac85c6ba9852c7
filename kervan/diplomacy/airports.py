"""Airports of the member states that take diplomats' access requests: IATA code → the state
that controls it. A request goes to that state's node; its authority decides."""

from __future__ import annotations

AIRPORTS: dict[str, tuple[str, str]] = {
    "IST": ("TUR", "İstanbul"),
    "SAW": ("TUR", "İstanbul Sabiha Gökçen"),
    "ESB": ("TUR", "Ankara Esenboğa"),
    "ADB": ("TUR", "İzmir Adnan Menderes"),
    "AYT": ("TUR", "Antalya"),
    "ALA": ("KAZ", "Almaty"),
    "NQZ": ("KAZ", "Astana"),
    "CIT": ("KAZ", "Shymkent"),
    "TAS": ("UZB", "Tashkent"),
    "SKD": ("UZB", "Samarkand"),
    "BHK": ("UZB", "Bukhara"),
    "FRU": ("KGZ", "Bishkek Manas"),
    "OSS": ("KGZ", "Osh"),
    "GYD": ("AZE", "Baku Heydar Aliyev"),
    "BUD": ("HUN", "Budapest Ferenc Liszt"),
}
ZONES = ("departures", "arrivals", "transit")


def controlling_state(iata: str) -> str | None:
    entry = AIRPORTS.get(iata.upper())
    return entry[0] if entry else None


def airports_of(state: str) -> list[str]:
    """A state's airports, its main hub first (the order of ``AIRPORTS``)."""
    return [code for code, (owner, _) in AIRPORTS.items() if owner == state]
