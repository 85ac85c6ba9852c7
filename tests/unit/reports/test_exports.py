"""Exports of a published report: CSV with each code's name beside it in the reader's
language, XLSX by names, SDMX code lists naming every code in the 8 languages."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

from openpyxl import load_workbook

from kervan.reports import exports

NAMES = {"en": "Fee waiver", "ru": "Освобождение от сборов"}
BODY = {
    "host_state": "KAZ",
    "reference_date": "2026-11-29",
    "tables": [
        {
            "name": "benefits",
            "section": "benefits",
            "dims": ["nationality", "benefit"],
            "categories": [["UZB", "_T"], ["fee_waiver", "_T"]],
            "values": [12, 12, 12, 12],
            "flags": "FFFF",
            "changes": {"keys": [], "values": [], "flags": ""},
            "names": {"benefit": {"fee_waiver": NAMES}},
        }
    ],
}


def test_csv_names_each_code_in_the_readers_language() -> None:
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(BODY, "ru").decode())))
    assert rows[0]["benefit"] == "fee_waiver"
    assert rows[0]["benefit_label"] == "Освобождение от сборов"
    assert rows[0]["nationality_label"] == "Узбекистан"


def test_xlsx_shows_names_first() -> None:
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(BODY, "en")))["benefits"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert header[:2] == ("Nationality", "Benefit")
    assert first[:4] == ("Uzbekistan", "Fee waiver", "UZB", "fee_waiver")


def test_sdmx_code_lists_name_the_codes_in_every_language() -> None:
    archive = zipfile.ZipFile(io.BytesIO(exports.to_sdmx(BODY)))
    root = ElementTree.fromstring(archive.read("structure.xml"))
    ns = {
        "str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
        "com": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    }
    code = root.find(".//str:Codelist[@id='CL_BENEFIT']/str:Code[@id='fee_waiver']", ns)
    assert code is not None
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    names = {n.get(lang): n.text for n in code.findall("com:Name", ns)}
    assert names["ru"] == "Освобождение от сборов" and names["en"] == "Fee waiver"
    assert len(names) == 8
