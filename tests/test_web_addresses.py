"""One rule for web addresses: what real data links to is kept, what is dangerous or no address is refused,
the same way in a form, a CSV file and a Popolo document."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms import modelform_factory

from records.formats import CSV
from records.models import Link, Person, Source
from records.resources import LinkResource
from records.transfer import describe
from records.web_addresses import problem

# Addresses found in real files: EveryPolitician's Wikipedia links, portraits, news sites.
KEPT = [
    "https://be_x_old.wikipedia.org/wiki/Аляксандар_Лукашэнка",  # Belarusian (Taraškievica) Wikipedia
    "https://fiu_vro.wikipedia.org/wiki/Eesti_Vabariik",  # Võro Wikipedia
    "https://zh-min-nan.wikipedia.org/wiki/Ji%C3%A2n",
    "https://az.wikipedia.org/wiki/%C4%B0lham_%C6%8Fliyev",  # percent-encoded path
    "https://ru.wikipedia.org/wiki/Алиев,_Ильхам_Гейдар_оглы",  # non-ASCII path
    "http://münchen.de/rathaus",  # internationalised host name
    "https://xn--mnchen-3ya.de/",  # the same host as it travels
    "https://президент.рф/",
    "http://www.alderney.gov.gg/media/image/8/9/140913_Alderney-822.jpg",
    "https://www.azernews.az/nation/255095.html?utm_source=x#top",
    "http://192.0.2.10:8080/profile",
    "https://[2001:db8::1]/page",
    "HTTPS://EN.WIKIPEDIA.ORG/wiki/Baku",
    "https://commons.wikimedia.org/wiki/File:Ilham Aliyev 2019.jpg",  # a space in a path: browsers send %20
]
REFUSED = {
    "javascript:alert(document.cookie)": "only http and https",
    "JavaScript:alert(1)": "only http and https",
    "data:text/html,<script>alert(1)</script>": "only http and https",
    "file:///etc/passwd": "only http and https",
    "ftp://ftp.example.org/file": "only http and https",
    "http://": "names no host",
    "https:///wiki/Baku": "names no host",
    "www.example.org/page": "starts with http",
    "https://exa mple.org/": "in its host",
    " https://example.org/": "no spaces around it",
    "https://example.org/\nhttps://other.org/": "no line breaks",
    "http://-bad-.example.org/": "well-formed host",
    "http://a..b.org/": "well-formed host",
    "http://999.1.1.1/": "neither an IP address",
    "https://example.org:99999/": "not a web address",
    "https://localhost/": "no domain",
}


@pytest.mark.parametrize("url", KEPT)
def test_addresses_of_real_data_are_kept(url):
    assert problem(url) is None


@pytest.mark.parametrize("url, reason", REFUSED.items())
def test_what_is_no_web_address_is_refused_with_its_reason(url, reason):
    assert reason in problem(url)


def test_forms_follow_the_rule(db):
    form_class = modelform_factory(Source, fields=["slug", "title", "url", "language", "status"])
    fields = {"slug": "be", "title": "A page", "language": "be", "status": "draft"}
    assert form_class({**fields, "url": KEPT[0]}).is_valid()
    form = form_class({**fields, "url": "javascript:alert(1)"})
    assert not form.is_valid() and "only http and https" in form.errors["url"][0]


def test_csv_files_follow_the_rule(db):
    Person.objects.create(slug="hajiyev", name="Hikmet Hajiyev")
    rows = f"person,organization,url,note\nhajiyev,,{KEPT[1]},\nhajiyev,,{KEPT[0]},\n"
    result = LinkResource().import_data(CSV().create_dataset(rows), file_name="links.csv")
    assert describe("links.csv", result) == []
    assert set(Link.objects.values_list("url", flat=True)) == {KEPT[0], KEPT[1]}

    bad = "person,organization,url,note\nhajiyev,,javascript:alert(1),\n"
    result = LinkResource().import_data(CSV().create_dataset(bad), file_name="links.csv")
    assert ["only http and https" in problem for problem in describe("links.csv", result)] == [True]
    assert Link.objects.count() == 2


def test_popolo_documents_follow_the_rule(db, tmp_path):
    person = {"id": "p1", "name": "Аляксандр Мілінкевіч", "links": [{"url": KEPT[0], "note": "Wikipedia (be-tarask)"}]}
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"persons": [person]}), encoding="utf-8")
    call_command("import_popolo", str(good), verbosity=0)
    assert Link.objects.get().url == KEPT[0]

    person = {**person, "id": "p2", "links": [{"url": "javascript:alert(1)"}]}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"persons": [person]}), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_popolo", str(bad), verbosity=0)
    assert Person.objects.count() == 1
