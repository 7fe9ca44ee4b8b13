"""The ``axe`` check lets through GOV.UK's conditional reveal state and nothing more."""

from mobilise.core.testing.browser import govuk_reveal_state


def _node(html: str, *values: str, rule: str = "aria-allowed-attr") -> dict:
    check = {"id": rule, "data": {"values": list(values)}}
    return {"html": html, "any": [], "all": [check], "none": []}


REVEALING_RADIO = (
    '<input class="govuk-radios__input" id="id_ballot_type-2" name="ballot_type" type="radio" '
    'value="k_approval" aria-controls="conditional-id_ballot_type-2" aria-expanded="false">'
)


def test_a_revealing_radios_expanded_state_is_let_through():
    assert govuk_reveal_state(_node(REVEALING_RADIO, 'aria-expanded="false"'))
    assert govuk_reveal_state(_node(REVEALING_RADIO, 'aria-expanded="true"'))


def test_anything_else_still_fails():
    assert not govuk_reveal_state(_node(REVEALING_RADIO, 'aria-checked="true"'))
    assert not govuk_reveal_state(
        _node(REVEALING_RADIO, 'aria-expanded="false"', rule="aria-valid-attr-value")
    )
    plain_radio = '<input class="govuk-radios__input" id="x" type="radio" aria-expanded="false">'
    assert not govuk_reveal_state(_node(plain_radio, 'aria-expanded="false"'))
    link = '<a class="govuk-link" aria-controls="conditional-x" aria-expanded="false">'
    assert not govuk_reveal_state(_node(link, 'aria-expanded="false"'))
