import pytest

from meetings.parsing import PartyRegister, PartyResolver

MEETING = ("AZ", "HU", "KG", "KZ", "TR", "UZ")


@pytest.fixture(scope="module")
def resolver():
    return PartyResolver(PartyRegister.ots())


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Turkish side", ("TR",)),
        ("Türkiye", ("TR",)),
        ("TÜRKİYE", ("TR",)),
        ("Turkey", ("TR",)),
        ("the Republic of Türkiye", ("TR",)),
        ("Uzbek side", ("UZ",)),
        ("Azerbaijani and Uzbek sides", ("AZ", "UZ")),
        ("the Kazakh and Kyrgyz sides", ("KG", "KZ")),
        ("Kyrgyz Republic", ("KG",)),
        ("Kyrgyzstan", ("KG",)),
        ("Hungarian side", ("HU",)),
        ("the Secretariat", ("OTS",)),
        ("OTS Secretariat", ("OTS",)),
        ("the Parties", MEETING),
        ("all Parties", MEETING),
        ("Parties", MEETING),
        (
            "Customs Administrations of the Member States",
            ("AZ", "KG", "KZ", "TR", "UZ"),
        ),
        ("Member States", ("AZ", "KG", "KZ", "TR", "UZ")),
        ("the Turkish Republic of Northern Cyprus", ("TRNC",)),
        ("the Turkmen side", ("TM",)),
    ],
)
def test_resolves_expressions(resolver, text, codes):
    assert resolver.is_party_expression(text)
    assert resolver.resolve(text, meeting_parties=MEETING).codes == codes


def test_parties_without_a_participant_list_are_the_register_states(resolver):
    assert set(resolver.resolve("the Parties").codes) == {
        "AZ",
        "KZ",
        "KG",
        "TR",
        "UZ",
        "HU",
        "TM",
        "TRNC",
    }


def test_unknown_party_keeps_text_and_suggests_a_code(resolver):
    res = resolver.resolve("The Tajik side")
    assert res.codes == (None,)
    (unknown,) = res.unknown
    assert (unknown.suggested_code, unknown.suggested_name) == ("TJ", "Tajikistan")


def test_without_register_the_gazetteer_codes_are_used():
    res = PartyResolver().resolve("the Chinese and Tajik sides")
    assert res.codes == ("CN", "TJ")


def test_register_aliases_are_recognised():
    register = PartyRegister.ots()
    extra = PartyRegister(
        register.parties
        + (type(register.parties[0])("WCO", "World Customs Organization", "other", ("WCO",)),)
    )
    assert PartyResolver(extra).resolve("the WCO").codes == ("WCO",)


@pytest.mark.parametrize(
    "text",
    [
        "the experts in charge of the issue",
        "The exact date of the meeting",
        "they",
        "Turkic States",
    ],
)
def test_not_party_expressions(resolver, text):
    assert not resolver.is_party_expression(text)
