"""The eligibility form's choices and the rule they say: the worked example's rules read back as
choices and written again unchanged (so an untouched form changes nothing), a rule the choices
cannot say left to the advanced field, and each problem on its field."""

from __future__ import annotations

import yaml

from kervan.benefits.views.eligibility_form import EligibilityChoices
from kervan.demo.example import KINDS_FILE
from kervan.measures.scope import parse_scope, scope_to_data
from kervan.web.i18n import Translator
from kervan.wiring import wire

wire()  # the packages' codes
EN = Translator("en")


def test_the_example_rules_read_back_as_choices_and_written_again_unchanged() -> None:
    kinds = yaml.safe_load(KINDS_FILE.read_text("utf-8"))["kinds"]
    for kind in kinds:
        rule = scope_to_data(parse_scope(kind["eligibility"]))
        choices = EligibilityChoices.from_rule(rule)
        assert choices is not None, kind["code"]
        errors: dict[str, str] = {}
        assert choices.rule(EN, errors) == rule and errors == {}, kind["code"]


def test_a_rule_the_choices_cannot_say_goes_to_the_advanced_field() -> None:
    for rule in (
        {"any": [{"nationality": ["UZB"]}, {"vulnerable": True}]},
        {"all": [{"nationality": ["UZB"]}, {"nationality": ["KGZ"]}]},
        {"nationality": ["BRA"]},
        {"age": {"min": 18, "on": "2020-03-16"}},
    ):
        assert EligibilityChoices.from_rule(rule) is None, rule
    assert EligibilityChoices.from_rule({}) == EligibilityChoices()


def test_each_problem_is_on_its_field() -> None:
    errors: dict[str, str] = {}
    EligibilityChoices(expires_from="2020-06-30", age_min="40", age_max="30").rule(EN, errors)
    assert set(errors) == {"expires_to", "age_max"}
    errors = {}
    EligibilityChoices(expires_from="2020-02-30", expires_to="2020-03-01", age_max="x").rule(
        EN, errors
    )
    assert set(errors) == {"expires_from", "age_max"}
