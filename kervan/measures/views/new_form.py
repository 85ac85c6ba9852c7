"""The new-measure forms as the officer sends them: every field free text, read through
``kervan.web.forms`` (its lists of checkboxes, the YAML texts' own limit, the file read
bounded); the checks are the page's (``forms.measure_from_fields``, ``ActionChoices``), each
problem on its field."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict

from kervan.measures.views.forms import MAX_YAML
from kervan.measures.views.scope_form import ScopeForm, YamlText
from kervan.web.forms import FormModel, Many, Upload


class NewMeasureForm(ScopeForm):
    """The new-measure form: the measure's own fields, who it reaches (``ScopeForm``) and what
    it does (``ActionChoices``); the pages' checks are in ``forms.measure_from_fields``."""

    reference: str = ""
    legal_act: str = ""
    legal_number: str = ""
    legal_date: str = ""
    legal_link: str = ""
    title: str = ""
    summary: str = ""
    period_from: str = ""
    period_to: str = ""
    actions: YamlText = ""
    waive: Many = ()
    extend: str = ""
    extend_to: str = ""
    extend_days: str = ""
    benefit: str = ""


class MeasureFileForm(FormModel):
    """A whole measure file, pasted or chosen (the file wins)."""

    model_config = ConfigDict(str_strip_whitespace=False, extra="ignore", frozen=True)

    document: YamlText = ""
    file: Annotated[str | None, Upload(MAX_YAML + 1)] = None
