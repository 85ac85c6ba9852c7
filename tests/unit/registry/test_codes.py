"""Code lists: states, and the ISO 3166-2 regions a stay document may name."""

from __future__ import annotations

import pydantic
import pytest

from kervan.errors import CodedValueError
from kervan.registry import messages
from kervan.registry.codes import is_region_code, region_name, validate_region_code
from kervan.registry.schemas import StayDocumentCorrection


@pytest.mark.parametrize("code", ["KZ-75", "UZ-TK", "KG-GB", "TR-34", "AZ-BA", "HU-BU"])
def test_known_regions_are_accepted(code: str) -> None:
    assert is_region_code(code) and validate_region_code(code) == code


@pytest.mark.parametrize("code", ["KZ-99", "kz-75", "KZ75", "KAZ-75", "KZ-7500", "", "XX-1"])
def test_unknown_or_malformed_regions_are_refused_with_a_code(code: str) -> None:
    assert not is_region_code(code)
    with pytest.raises(CodedValueError) as refused:
        validate_region_code(code)
    assert refused.value.code == messages.REGION_CODE
    assert refused.value.params == {"region": code}


def test_region_names_in_the_officers_language_else_pycountrys() -> None:
    assert region_name("KZ-75") == "Almaty"
    assert region_name("UZ-TK", "ru") != "UZ-TK"
    assert region_name("HU-BU", "hu") == "Budapest"
    assert region_name("KZ-75", "xx") == "Almaty"  # no catalog: pycountry's name
    assert region_name("not-a-code", "ru") == "not-a-code"


def test_the_api_schemas_take_a_region_code_and_refuse_others() -> None:
    assert StayDocumentCorrection(region=" uz-tk ", reason="moved").region == "UZ-TK"
    with pytest.raises(pydantic.ValidationError, match="ISO 3166-2"):
        StayDocumentCorrection(region="UZ-ZZ", reason="moved")
