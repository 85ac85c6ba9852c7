"""SDMX for statistical offices: SDMX-CSV 1.0 data (one dataflow per table) and its data
structure definitions in SDMX-ML 2.1. Dimensions: ``REF_AREA`` (the host state), the table's
own dimensions (upper-cased; ``_T`` is SDMX's total), ``TIME_PERIOD`` (the reference date);
measure ``OBS_VALUE``; attribute ``CONF_STATUS`` from SDMX's code list (F free, C confidential,
D secondary confidentiality), so a suppressed observation is an empty value with its reason."""

from __future__ import annotations

import csv
import io
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kervan.reports import labels
from kervan.reports.report import cells_of
from kervan.web.i18n import LANGUAGES, Translator

AGENCY = "KERVAN"
VERSION = "1.0"


def dataflow_id(table: dict[str, Any]) -> str:
    return f"DF_SITREP_{table['name'].upper()}"


def _dsd_id(table: dict[str, Any]) -> str:
    return f"DSD_SITREP_{table['name'].upper()}"


def data_csv(body: dict[str, Any], table: dict[str, Any]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    dims = [d.upper() for d in table["dims"]]
    writer.writerow(["DATAFLOW", "REF_AREA", *dims, "TIME_PERIOD", "OBS_VALUE", "CONF_STATUS"])
    flow = f"{AGENCY}:{dataflow_id(table)}({VERSION})"
    for key, value, flag in cells_of(table):
        observed = "" if value is None else str(value)
        writer.writerow([flow, body["host_state"], *key, body["reference_date"], observed, flag])
    return stream.getvalue()


def _codelist(dim: str, codes: list[str], names: dict[str, dict[str, str]]) -> str:
    """A code list whose codes carry their names in every language (``names``: {code:
    {language: name}}), as SDMX readers show them."""
    items = "".join(
        f"<str:Code id={quoteattr(code)}>{_names(names.get(code) or {'en': code})}</str:Code>"
        for code in codes
    )
    return (
        f'<str:Codelist id="CL_{dim.upper()}" agencyID="{AGENCY}" version="{VERSION}">'
        f'<com:Name xml:lang="en">{escape(dim)}</com:Name>{items}</str:Codelist>'
    )


def _names(by_language: dict[str, str]) -> str:
    return "".join(
        f"<com:Name xml:lang={quoteattr(lang)}>{escape(name)}</com:Name>"
        for lang, name in by_language.items()
    )


def code_names(body: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """{dimension: {code: {language: name}}} of every code of the report, in the 8 languages
    (states by their CLDR names, the report's vocabularies by their terms, benefit kinds and
    measures by the names officers gave them)."""
    translators = [Translator(lang) for lang in LANGUAGES]
    out: dict[str, dict[str, dict[str, str]]] = {}
    for table in body["tables"]:
        names = table.get("names")
        for dim, level in zip(table["dims"], table["categories"], strict=True):
            mine = out.setdefault(dim, {})
            for code in level:
                if code not in mine:
                    mine[code] = {t.code: labels.category(t, dim, code, names) for t in translators}
    out["ref_area"] = {
        body["host_state"]: {
            t.code: labels.category(t, "host_state", body["host_state"]) for t in translators
        }
    }
    return out


def _dimension(dim: str, position: int) -> str:
    return (
        f'<str:Dimension id="{dim.upper()}" position="{position}"><str:LocalRepresentation>'
        f'<str:Enumeration><Ref id="CL_{dim.upper()}" agencyID="{AGENCY}" version="{VERSION}" '
        'class="Codelist" package="codelist"/></str:Enumeration></str:LocalRepresentation>'
        "</str:Dimension>"
    )


def structure_xml(body: dict[str, Any]) -> str:
    """Code lists, data structure definitions and dataflows of the report's tables."""
    names = code_names(body)
    codelists = "".join(_codelist(dim, sorted(codes), codes) for dim, codes in names.items())
    structures, flows = [], []
    for table in body["tables"]:
        dims = [_dimension("ref_area", 1)]
        dims += [_dimension(d, i + 2) for i, d in enumerate(table["dims"])]
        dims.append(f'<str:TimeDimension id="TIME_PERIOD" position="{len(table["dims"]) + 2}"/>')
        structures.append(
            f'<str:DataStructure id="{_dsd_id(table)}" agencyID="{AGENCY}" version="{VERSION}">'
            f'<com:Name xml:lang="en">{escape(table["name"])}</com:Name>'
            f"<str:DataStructureComponents><str:DimensionList>{''.join(dims)}</str:DimensionList>"
            '<str:AttributeList><str:Attribute id="CONF_STATUS" assignmentStatus="Mandatory">'
            '<str:AttributeRelationship><str:PrimaryMeasure><Ref id="OBS_VALUE"/>'
            "</str:PrimaryMeasure></str:AttributeRelationship></str:Attribute></str:AttributeList>"
            '<str:MeasureList><str:PrimaryMeasure id="OBS_VALUE"/></str:MeasureList>'
            "</str:DataStructureComponents></str:DataStructure>"
        )
        flows.append(
            f'<str:Dataflow id="{dataflow_id(table)}" agencyID="{AGENCY}" version="{VERSION}">'
            f'<com:Name xml:lang="en">{escape(table["name"])}</com:Name><str:Structure>'
            f'<Ref id="{_dsd_id(table)}" agencyID="{AGENCY}" version="{VERSION}" '
            'class="DataStructure" package="datastructure"/></str:Structure></str:Dataflow>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
        'xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" '
        'xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">'
        f"<mes:Header><mes:ID>SITREP_{escape(body['host_state'])}</mes:ID><mes:Test>false</mes:Test>"
        f"<mes:Prepared>{escape(body['reference_date'])}T00:00:00Z</mes:Prepared>"
        f'<mes:Sender id="{escape(body["host_state"])}"/></mes:Header>'
        f"<mes:Structures><str:Codelists>{codelists}</str:Codelists>"
        f"<str:Dataflows>{''.join(flows)}</str:Dataflows>"
        f"<str:DataStructures>{''.join(structures)}</str:DataStructures></mes:Structures>"
        "</mes:Structure>"
    )
