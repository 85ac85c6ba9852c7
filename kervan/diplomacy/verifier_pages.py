"""The offline verifier as a web app: its page, script, service worker and manifest. Public:
it holds no personal data (a pass carries its own), and an officer's device must be able to
load it before signing in; sending the scan log needs a border officer's sign-in."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

import kervan
from kervan.accounts.roles import Permission, Principal
from kervan.diplomacy.airports import airports_of
from kervan.web.deps import SettingsDep, policy
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)
STATIC = resources.files("kervan.diplomacy") / "static"
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def _messages(page: PageDep) -> dict[str, Any]:
    # Two templates go to the script unformatted: it fills in %(hours)s and %(count)s.
    translations = page.translator.translations
    return {
        "reasons": {
            "valid": page.gettext("Valid: let the holder in"),
            "malformed": page.gettext("Not a pass"),
            "unknown-signer": page.gettext("Refused: unknown signer"),
            "bad-signature": page.gettext(
                "Refused: the signature is not valid (forged or altered)"
            ),
            "revoked": page.gettext("Refused: the pass was revoked"),
            "not-yet-valid": page.gettext("Refused: the pass is not valid yet"),
            "expired": page.gettext("Refused: the pass has expired"),
            "wrong-airport": page.gettext("Refused: the pass is for another airport"),
            "wrong-zone": page.gettext("Refused: the pass is for another zone"),
        },
        "zones": {
            "departures": page.gettext("Departures"),
            "arrivals": page.gettext("Arrivals"),
            "transit": page.gettext("Transit hall"),
        },
        "holder": page.gettext("Holder"),
        "mrz": page.gettext("MRZ"),
        "accreditation": page.gettext("Accreditation card"),
        "where": page.gettext("Airport and zones"),
        "valid": page.gettext("Valid"),
        "purpose": page.gettext("Purpose"),
        "issuer": page.gettext("Issuing state and pass number"),
        "online": page.gettext("Online"),
        "offline": page.gettext("Offline"),
        "no_list": page.gettext("No revocation list yet: connect once to download it."),
        "list_age": translations.gettext("Revocation list is %(hours)s hours old."),
        "pending": translations.gettext("Scans waiting to be sent: %(count)s"),
        "no_camera": page.gettext("The camera cannot be used:"),
    }


@router.get("/verify")
def verifier_page(
    page: PageDep, settings: SettingsDep, principal: Principal | None = policy(Permission.PUBLIC)
) -> Response:
    airports = airports_of(settings.state)
    return page.render(
        "diplomacy/verify.html",
        messages=_messages(page),
        max_age_hours=settings.diplomacy_revocations_max_age_hours,
        default_airport=airports[0] if airports else "",
    )


def _asset(name: str, cache: str = "no-cache") -> Response:
    body = (STATIC / name).read_bytes()
    if name == "sw.js":
        body = body.replace(b"__VERSION__", kervan.__version__.encode())
    suffix = name[name.rfind(".") :]
    headers = {"Cache-Control": cache}
    if name == "sw.js":
        headers["Service-Worker-Allowed"] = "/verify"
    return Response(body, media_type=TYPES[suffix], headers=headers)


@router.get("/verify/{name}")
def verifier_asset(name: str, principal: Principal | None = policy(Permission.PUBLIC)) -> Response:
    if name == "manifest.webmanifest":
        return Response(MANIFEST, media_type="application/manifest+json")
    if name not in ("verify.js", "jsQR.js", "verify.css", "icon.svg", "sw.js", "countdown.js"):
        return Response(status_code=404)
    return _asset(name)


MANIFEST = """{
  "name": "Kervan pass verifier",
  "short_name": "Verifier",
  "start_url": "/verify",
  "scope": "/verify",
  "display": "standalone",
  "background_color": "#ffffff",
  "theme_color": "#1f4e79",
  "icons": [{"src": "/verify/icon.svg", "sizes": "any", "type": "image/svg+xml"}]
}
"""
