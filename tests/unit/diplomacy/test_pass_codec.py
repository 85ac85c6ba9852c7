"""The pass format checked with other libraries than the ones that make it: ``cbor2`` for CBOR,
the ``base45`` package, ``zlib``, and ``cryptography`` over a Sig_structure built here; the QR
image decoded by ``zxing-cpp``."""

from __future__ import annotations

import io
import random
import uuid
import zlib
from types import SimpleNamespace

import base45 as base45_package
import cbor2
import pytest
import zxingcpp
from PIL import Image

from kervan.diplomacy.codec import PREFIX, open_pass, sign_pass
from kervan.diplomacy.passes import fitted_text
from kervan.diplomacy.rendering import MAX_QR_VERSION, pass_pdf, qr_code, qr_png, qr_version
from tests.unit.diplomacy.support import KID, claims, signer


def test_a_pass_decodes_and_verifies_with_independent_libraries() -> None:
    private, _ = signer()
    text = sign_pass(claims(), KID, private)
    assert text.startswith("KVP1:")
    raw = zlib.decompress(base45_package.b45decode(text[len(PREFIX) :]))
    message = cbor2.loads(raw)
    assert isinstance(message, cbor2.CBORTag) and message.tag == 18
    protected, unprotected, payload, signature = message.value
    assert cbor2.loads(protected) == {1: -8, 4: KID.encode()}
    assert unprotected == {}
    sig_structure = cbor2.dumps(["Signature1", protected, b"", payload])
    private.public_key().verify(signature, sig_structure)  # raises if it does not verify
    body = cbor2.loads(payload)
    assert uuid.UUID(bytes=body[2]) == claims().pass_id
    assert (body[3], body[4], body[5], body[6]) == (
        "TUR",
        "UZB",
        "ALIMOV<<BOBUR<RUSTAMOVICH",
        "Алимов Бобур Рустамович",
    )
    assert body[8] == ["IST"] and body[9] == [3, 1] and body[10] == "T1"
    assert body[12] - body[11] == 48 * 3600


def test_our_reader_opens_what_an_independent_writer_signed() -> None:
    private, _ = signer()
    protected = cbor2.dumps({1: -8, 4: KID.encode()})
    payload = cbor2.dumps(
        {
            1: 1,
            2: uuid.uuid4().bytes,
            3: "TUR",
            4: "KAZ",
            5: "NURLANOV<<ASAN",
            7: "C-1",
            8: ["SAW"],
            9: [2],
            11: 1_800_000_000,
            12: 1_800_086_400,
            13: "meet a flight",
            14: 1_799_990_000,
        }
    )
    signature = private.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    message = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    text = PREFIX + base45_package.b45encode(zlib.compress(message)).decode()
    opened = open_pass(text)
    assert opened.kid == KID and opened.claims.airports == ("SAW",)
    assert opened.claims.zones == ("arrivals",) and opened.claims.holder_native == "NURLANOV<<ASAN"
    assert opened.signature_ok(private.public_key())


def test_the_qr_code_stays_within_version_15_at_level_m_and_zxing_reads_it() -> None:
    private, _ = signer()
    longest = claims(
        holder_native="Абдурахмонова-Исмоилова Гулнорахон Абдужабборовна",
        holder_mrz="ABDURAKHMONOVA<ISMOILOVA<<GULNORAKHON<ABDUZHABBOROVNA",
        airports=("IST",),
        zones=("departures", "arrivals", "transit"),
        purpose="x" * 200,
    )
    text = sign_pass(longest, KID, private)
    qr = qr_code(text)
    assert qr.error == "M" and int(qr.version) <= MAX_QR_VERSION
    image = Image.open(io.BytesIO(qr_png(text)))
    found = zxingcpp.read_barcodes(image)
    assert [r.text for r in found] == [text]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode


def test_a_purpose_too_long_for_the_code_is_refused_not_drawn_unreadable() -> None:
    private, _ = signer()
    text = sign_pass(claims(purpose=random_words(300)), KID, private)
    with pytest.raises(ValueError, match="QR version"):
        qr_code(text)


def test_issuing_shortens_the_purpose_until_the_code_fits() -> None:
    private, _ = signer()
    signing = SimpleNamespace(kid=KID, private_key=private)
    fitted, text = fitted_text(claims(purpose=random_words(300)), signing)
    assert qr_version(text) <= MAX_QR_VERSION
    assert fitted.purpose.endswith("…") and len(fitted.purpose) <= 160
    assert open_pass(text).claims == fitted


def random_words(length: int) -> str:
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяқғўҳ "
    chooser = random.Random(16)
    return "".join(chooser.choice(letters) for _ in range(length))


def test_the_pdf_is_one_a6_page() -> None:
    private, _ = signer()
    text = sign_pass(claims(), KID, private)
    pdf = pass_pdf(text, claims())
    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [0 0 297.64 419.53]" in pdf  # 105 x 148 mm
    assert b"/Count 1" in pdf
