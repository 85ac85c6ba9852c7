"""kervan/untrusted.py: YAML and JSON from outside, read as plain data, with aliases, deep
nesting and overlong texts refused before anything is expanded."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kervan.untrusted import MAX_DEPTH, RefusedYaml, load_json, load_yaml

PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(PLAIN)
def test_plain_data_reads_back_as_it_was_written(data: object) -> None:
    assert load_json(json.dumps(data)) == data
    assert load_yaml(yaml.safe_dump(data)) == data


def test_aliases_are_refused_before_they_expand() -> None:
    laughs = 'a: &a ["lol"]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n'
    with pytest.raises(RefusedYaml) as caught:
        load_yaml(laughs)
    assert caught.value.reason == "alias"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    with pytest.raises(RefusedYaml) as caught:
        load_yaml("[" * depth + "]" * depth)
    assert caught.value.reason == "depth"
    with pytest.raises(ValueError, match="nested more than"):
        load_json("[" * depth + "]" * depth)


def test_nesting_up_to_the_limit_is_read() -> None:
    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


def test_overlong_texts_are_refused_before_parsing() -> None:
    with pytest.raises(yaml.YAMLError, match="longer than 10"):
        load_yaml("a: " + "x" * 20, max_chars=10)
    with pytest.raises(ValueError, match="longer than 10"):
        load_json('"' + "x" * 20 + '"', max_chars=10)


def test_python_objects_are_not_built_from_tags() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")
