"""The place-name index: names in every script, folding, abbreviations, kinds."""

from __future__ import annotations

import pytest

from storyline.read.gazetteer import DEMONYM, INITIALISM, load_gazetteer


@pytest.fixture(scope="session")
def gaz():
    return load_gazetteer()


def _top(gaz, name):
    cands = gaz.candidates(name)
    assert cands, f"no entry for {name!r}"
    return cands[0]


def test_cyrillic_and_arabic_names_find_the_latin_entry(gaz):
    assert _top(gaz, "Москва").id == _top(gaz, "Moscow").id == "gn:524901"
    assert _top(gaz, "القاهرة").id == _top(gaz, "Cairo").id == "gn:360630"


def test_all_alternate_names_are_indexed(gaz):
    # Gyumri was Leninakan in Soviet times; GeoNames lists it as an alternate.
    assert _top(gaz, "Leninakan").id == _top(gaz, "Gyumri").id


def test_dotless_i_and_diacritics_fold(gaz):
    igdir = _top(gaz, "Iğdır").id
    assert _top(gaz, "Igdir").id == igdir
    assert _top(gaz, "IĞDIR").id == igdir


def test_abbreviations_and_initialisms(gaz):
    assert _top(gaz, "U.S.").id == "gn:6252001"
    assert _top(gaz, "W.Va.").name == "West Virginia"
    flags = {flag for index, flag in gaz.entries("UK") if gaz.ids[index] == "gn:2635167"}
    assert flags == {INITIALISM}  # matched only when written in capitals


def test_demonyms_point_to_their_place_but_are_not_candidates(gaz):
    texas = gaz.get("gn:4736286")
    assert texas.name == "Texas" and texas.kind == "admin1"
    assert any(gaz.ids[i] == texas.id and f == DEMONYM for i, f in gaz.entries("Texan"))
    assert all(p.id != texas.id for p in gaz.candidates("Texan"))
    assert any(gaz.ids[i] == "gn:614540" and f == DEMONYM for i, f in gaz.entries("Georgian"))


def test_countries_states_and_regions_have_coordinates(gaz):
    us = gaz.get("gn:6252001")
    assert us.kind == "country" and 30 < us.lat < 45 and -110 < us.lon < -85
    wv = _top(gaz, "West Virginia")
    assert wv.kind == "admin1" and 37 < wv.lat < 41 and -83 < wv.lon < -77
    assert _top(gaz, "Europe").kind == "continent"
    north_africa = _top(gaz, "North Africa")
    assert north_africa.kind == "region" and 10 < north_africa.lat < 35


def test_subdivisions_of_other_countries_are_indexed(gaz):
    syunik = [p for p in gaz.candidates("Syunik") if p.kind == "admin1"]
    assert syunik and syunik[0].country == "AM"
    dagestan = [p for p in gaz.candidates("Dagestan") if p.kind == "admin1"]
    assert dagestan and dagestan[0].country == "RU"


def test_get_unknown_and_distance(gaz):
    assert gaz.get("gn:0") is None
    assert gaz.candidates("Qwzxq") == []
    near = gaz.near(40.18, 44.51, 30)  # Yerevan
    assert any(gaz.names_of[i] == "Yerevan" for i in near)


def test_official_name_without_its_form_of_government(gaz):
    assert _top(gaz, "America").id == "gn:6252001"  # United States of America
    assert _top(gaz, "Libya").id == _top(gaz, "State of Libya").id


def test_wordnet_areas_and_translated_macroregions_are_indexed(gaz):
    from storyline.read.gazetteer import KINDS, REGION_NAME_LANGUAGES
    from storyline.read.places.languages import _LANGUAGES
    from storyline.text import fold_key

    def regions(name):
        return {gaz.ids[v >> 3] for v in gaz.names.get(fold_key(name), ()) if KINDS[gaz.kinds[v >> 3]] == "region"}

    assert any(r.startswith("wn:") for r in regions("Horn of Africa"))
    assert any(r.startswith("wn:") for r in regions("Himalayas"))
    assert "ne-marine:persian-gulf" in regions("Arabian Gulf")
    assert "m49:015" in regions("Nordafrika") and "m49:015" in regions("Северная Африка")
    # A name that is already a country's stays the country's alone.
    assert not any(r.startswith("wn:") for r in regions("Korea"))
    assert set(REGION_NAME_LANGUAGES) == set(_LANGUAGES)


def test_a_continent_wide_grouping_lends_no_translated_name(gaz):
    from storyline.read.gazetteer import KINDS
    from storyline.text import fold_key

    # CLDR's Russian and German names of the Americas also name the United States.
    for name in ("Америка", "Amerika"):
        assert "m49:019" not in {gaz.ids[v >> 3] for v in gaz.names.get(fold_key(name), ())}
    assert all(KINDS[gaz.kinds[v >> 3]] != "region" for v in gaz.names.get(fold_key("Micronesia"), ()) if v & 7 != 0)
