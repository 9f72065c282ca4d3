"""The items-file reader never crashes on odd input: it returns an item set or says why not."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from attune.organisation.items import ItemsFileError, parse_items

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["areas", "items", "key", "label", "prompt", "statement", "section", "text", "en"]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_it_reads_any_yaml_structure_or_says_why_not(data):
    try:
        item_set = parse_items(yaml.safe_dump(data, allow_unicode=True))
    except ItemsFileError as error:
        assert str(error)
    else:
        assert all(item.key and item.prompt for item in item_set.items)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_it_reads_any_text_or_says_why_not(source):
    try:
        parse_items(source)
    except ItemsFileError:
        pass
