"""One way to make a slug from a name, for every path that makes records (records/slugs.py)."""

from records.slugs import SLUG_LENGTH, numbered, slug_base


def test_a_name_gives_its_slug_and_a_name_of_nothing_the_fallback():
    assert slug_base("Salih İzbul", "person") == "salih-izbul"
    assert slug_base("«»", "person") == "person"
    assert len(slug_base("word " * 100, "x")) <= SLUG_LENGTH and not slug_base("word " * 100, "x").endswith("-")


def test_a_taken_slug_gets_the_next_number():
    taken = {"baku", "baku-2"}
    assert numbered("baku", taken.__contains__) == "baku-3"
    assert numbered("ganja", taken.__contains__) == "ganja"
