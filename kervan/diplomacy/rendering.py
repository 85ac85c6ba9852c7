"""The pass as the mission receives it: a QR code (PNG) and an A6 PDF carrying both names and
the text in the host state's and the home state's languages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF, XPos, YPos

from kervan.diplomacy.codec import PassClaims
from kervan.web.i18n import Translator

MAX_QR_VERSION = 15  # read reliably from a phone screen; DCC passes are about this size
DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LANGUAGE_OF_STATE = {
    "TUR": "tr",
    "UZB": "uz",
    "KAZ": "kk",
    "KGZ": "ky",
    "AZE": "az",
    "HUN": "hu",
    "RUS": "ru",
}


def N_(message: str) -> str:
    """Marks a message for extraction; translated where the PDF is drawn."""
    return message


TITLE = N_("Diplomatic access to an airport waiting hall")
LABELS = (
    ("holder", N_("Holder")),
    ("accreditation", N_("Accreditation card")),
    ("airport", N_("Airport and zones")),
    ("window", N_("Valid")),
    ("purpose", N_("Purpose")),
    ("issuer", N_("Issuing state and pass number")),
)
NOTICE = N_("Show this code to the officer at the hall door together with your diplomatic card.")


def qr_version(text: str) -> int:
    return int(segno.make_qr(text, error="m", boost_error=False).version)


def qr_code(text: str) -> segno.QRCode:
    qr = segno.make_qr(text, error="m", boost_error=False)
    if int(qr.version) > MAX_QR_VERSION:
        raise ValueError(f"the pass needs QR version {qr.version}, more than {MAX_QR_VERSION}")
    return qr


def qr_png(text: str, scale: int = 6) -> bytes:
    out = io.BytesIO()
    qr_code(text).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _values(claims: PassClaims) -> dict[str, str]:
    zones = ", ".join(claims.zones)
    terminal = f" {claims.terminal}" if claims.terminal else ""
    return {
        "holder": f"{claims.holder_native}\n{claims.holder_mrz}",
        "accreditation": f"{claims.accreditation} · {claims.home_state}",
        "airport": f"{', '.join(claims.airports)}{terminal} · {zones}",
        "window": f"{claims.valid_from:%Y-%m-%d %H:%M} – {claims.valid_until:%Y-%m-%d %H:%M} UTC",
        "purpose": claims.purpose,
        "issuer": f"{claims.issuing_state} · {claims.pass_id}",
    }


def languages_for(claims: PassClaims) -> list[str]:
    host = LANGUAGE_OF_STATE.get(claims.issuing_state, "en")
    home = LANGUAGE_OF_STATE.get(claims.home_state, "en")
    return list(dict.fromkeys([host, home]))


def pass_pdf(text: str, claims: PassClaims, font: Path = DEFAULT_FONT) -> bytes:
    """One A6 page: the QR code on top, then each line in the host's and the home state's
    language (labels translated, values as signed)."""
    pdf = FPDF(format=(105, 148), unit="mm")  # A6
    pdf.set_margins(6, 6, 6)
    pdf.set_auto_page_break(True, 4)
    pdf.add_page()
    pdf.add_font("pass", fname=str(font))
    translators = [Translator(code) for code in languages_for(claims)]
    pdf.set_font("pass", size=7.5)
    # Each cell starts a new line at the left margin.
    line: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf.multi_cell(0, 3.4, "\n".join(t.gettext(TITLE) for t in translators), align="C", **line)
    pdf.image(io.BytesIO(qr_png(text, scale=4)), x=(105 - 62) / 2, w=62)
    pdf.set_x(pdf.l_margin)
    values = _values(claims)
    for key, label in LABELS:
        pdf.set_font("pass", size=5.5)
        pdf.multi_cell(0, 2.6, " / ".join(t.gettext(label) for t in translators), **line)
        pdf.set_font("pass", size=7)
        pdf.multi_cell(0, 3.1, values[key], **line)
    pdf.set_font("pass", size=5.5)
    pdf.multi_cell(0, 2.6, "\n".join(t.gettext(NOTICE) for t in translators), **line)
    return bytes(pdf.output())
