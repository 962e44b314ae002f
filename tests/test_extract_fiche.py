"""The fiche reader on made-up fiches (layout noise, several fiches, missing headings) and on
malformed input: a clear message, no crash, no hang."""

import time

import pytest
from hypothesis import given, settings, strategies as st

from maillage.extract.fiche import FicheReader, find_fields, split_names
from maillage.extract.pipeline import ExtractError, extract_file, extract_text, looks_like_fiche

FICHE = """# → Épicerie sociale itinérante, Association Les Paniers du Bocage

## Contexte

Un camion parcourt les villages.

## **Lieu :**

- *Vierzon, Région Centre-Val de Loire (18)*

## **Date :**

- *Depuis mars 2021*

## **Pilote :**

- *Association Les Paniers du Bocage*

## Partenaires :

- *CCAS de Vierzon*
- *Banque Alimentaire du Cher*
- *Collectivités...*

texte d'une colonne voisine coupée au milieu.

## Coût total du projet :

- 2022 : 120 000 €
- 2023 : 130 000 €

### - dont cofinanceurs :

- 40 000 € de la Région
- 12 500 € CD du Cher et Fondation de France
- État
- Autofinancement
"""


def read(text):
    return FicheReader().read(text, "f.txt")


def names(draft, keys):
    by = {o.key: o.name for o in draft.organisations}
    return [by[k] for k in keys]


def assert_spans_inside(draft, text):
    """Every span of the draft's organisations and fundings lies inside the text."""
    for item in [*draft.organisations, *draft.fundings]:
        for s, e in item.spans:
            assert 0 <= s < e <= len(text)

def test_one_fiche_fields_and_spans():
    d = read(FICHE)
    (ini,) = d.initiatives
    assert ini.name == "Épicerie sociale itinérante"
    assert FICHE[ini.spans[0][0]:ini.spans[0][1]] == ini.name
    assert ini.start == "2021-03"
    assert "com:18279" in ini.territories and "reg:24" in ini.territories and "dep:18" in ini.territories
    assert names(d, ini.pilots) == ["Association Les Paniers du Bocage"]
    partners = names(d, [p.partner for p in d.partnerships])
    assert partners == ["CCAS de Vierzon", "Banque Alimentaire du Cher"]     # "Collectivités..." is no name
    for o in d.organisations:
        for s, e in o.spans:
            assert 0 <= s < e <= len(FICHE)


def test_cofinanceurs_amounts_and_funders():
    d = read(FICHE)
    got = sorted((tuple(names(d, f.funders)), f.amount_eur) for f in d.fundings)
    assert got == sorted([
        (("Région Centre-Val de Loire",), 40000.0),                  # "la Région", named after the fiche's place
        (("CD du Cher", "Fondation de France"), 12500.0),            # one amount given jointly
        (("État",), None),
    ])
    for f in d.fundings:
        assert f.initiative == "fiche-1"
        if f.amount_eur == 40000:
            s, e = f.spans[0]
            assert "40 000 €" in FICHE[s:e]


def test_amount_lines_without_a_funder_are_not_fundings():
    d = read(FICHE.replace("- 40 000 € de la Région", "- 2023 : 40 000 €"))
    assert 40000.0 not in [f.amount_eur for f in d.fundings]


def test_booklet_one_initiative_per_fiche():
    second = FICHE.replace("Épicerie sociale itinérante", "Garage solidaire").replace("Vierzon", "Bourges")
    d = read("# Sommaire\n\nIntroduction générale.\n\n" + FICHE + "\n" + second)
    assert [i.name for i in d.initiatives] == ["Épicerie sociale itinérante", "Garage solidaire"]
    assert {f.initiative for f in d.fundings} == {"fiche-1", "fiche-2"}


def test_two_fiches_under_one_heading_are_cut_where_pilote_comes_back():
    text = FICHE + "\n## → Atelier vélo partagé, Collectif Roue Libre\n\n## Lieu :\n\n- Bourges (18)\n\n## Pilote :\n\n- Collectif Roue Libre\n"
    d = read(text)
    assert [i.name for i in d.initiatives] == ["Épicerie sociale itinérante", "Atelier vélo partagé"]
    assert names(d, d.initiatives[1].pilots) == ["Collectif Roue Libre"]


def test_missing_heading_gives_a_warning_not_a_crash():
    text = FICHE.replace("## **Pilote :**\n\n- *Association Les Paniers du Bocage*\n", "")
    d = read(text)
    (ini,) = d.initiatives
    assert any("no pilote heading" in w for w in d.warnings)
    # the structure named after the title's comma stands in for the pilot
    assert names(d, ini.pilots) == ["Association Les Paniers du Bocage"]


def test_fiche_without_markdown_headings():
    text = ("FICHE ACTION\n\nJardin partagé des Tilleuls\n\nPilote : Mairie de Vierzon\nLieu : Vierzon (18)\n"
            "Partenaires : Secours Populaire, Emmaüs\n\nLes partenaires financiers du projet sont l'État, "
            "la Région Centre-Val de Loire et la Fondation Truffaut.\n")
    assert looks_like_fiche(text)
    d = read(text)
    (ini,) = d.initiatives
    assert ini.name == "Jardin partagé des Tilleuls"
    assert names(d, ini.pilots) == ["Mairie de Vierzon"]
    assert set(names(d, [p.partner for p in d.partnerships])) == {"Secours Populaire", "Emmaüs"}
    funders = {names(d, f.funders)[0] for f in d.fundings}
    assert funders == {"État", "Région Centre-Val de Loire", "Fondation Truffaut"}


def test_funding_sentence_with_purpose():
    text = ("FICHE EXPERIENCE\n\nRecyclerie du Val\n\nPilote : Association Val Réemploi\nLieu : Vierzon (18)\n\n"
            "Le financement de l'investissement par la Région Centre-Val de Loire a permis d'acheter un camion.\n")
    d = read(text)
    (f,) = d.fundings
    assert names(d, f.funders) == ["Région Centre-Val de Loire"] and f.purpose == "investissement"


def test_split_names():
    text = "GT associant (outre FAP et ADIL 31) : DDT31, Mairie de Vierzon ; Maisons et Cités / CAF 18"
    got = [text[s:e] for s, e in split_names(text, 0, len(text))]
    assert got == ["DDT31", "Mairie de Vierzon", "Maisons et Cités", "CAF 18"]


def test_last_item_of_a_comma_list_is_split_at_et():
    text = "(CCAS, Département, Mission locale, PLIE et Agglomération)"
    got = [text[s:e] for s, e in split_names(text, 1, len(text) - 1)]
    assert got == ["CCAS", "Département", "Mission locale", "PLIE", "Agglomération"]


def test_sentence_pilot_phrase():
    text = "Mission confiée à l'Association Habitat Plus par la Fondation du Logement (direction Sud)"
    got = [text[s:e] for s, e in split_names(text, 0, len(text))]
    assert got == ["Association Habitat Plus", "Fondation du Logement (direction Sud)"]


def test_fields_layout_noise():
    text = "#### **- dont cofinanceurs :**\n\n- *380 000 €*\n\n**Coût total du projet :**\n\n- *650 000 € de budget annuel*\n"
    fields = find_fields(text)
    assert [f.kind for f in fields] == ["cofin", "cout"]
    assert [text[s:e] for s, e in fields[1].items] == ["650 000 € de budget annuel"]


def test_empty_text():
    d = read("")
    assert d.initiatives == [] and d.warnings


def test_no_fiche_at_all():
    d = read("Rien ici : juste une phrase.\n")
    assert d.initiatives == [] or all(i.name for i in d.initiatives)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01binary\x00data", "binary"), (b"\xff\xfe\xfaabc", "not UTF-8"),
])
def test_malformed_files_give_a_clear_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    with pytest.raises(ExtractError) as exc:
        extract_file(path, link=False)
    assert message in str(exc.value) and "doc.txt" in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(ExtractError, match="nope.txt"):
        extract_file(tmp_path / "nope.txt", link=False)


def test_ten_megabyte_file_finishes_in_seconds(tmp_path):
    block = FICHE + "\n" + ("Du texte sans fin : à Vierzon, 12 000 €, Région, " * 200 + "\n") * 5
    text = block * (10_000_000 // len(block) + 1)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    t0 = time.perf_counter()
    d = extract_file(path, "fiche", link=False)
    assert time.perf_counter() - t0 < 300      # hang guard; speed is `maillage bench`'s
    assert len(d.initiatives) >= 100


def test_one_long_line_does_not_hang():
    text = "Pilote : " + "Association " * 200_000 + "\nLieu : " + "(" * 100_000 + "\n"
    t0 = time.perf_counter()
    read(text)
    assert time.perf_counter() - t0 < 120      # hang guard


def test_auto_picks_the_fiche_reader_for_fiches():
    d = extract_text(FICHE, "f.txt", link=False)
    assert d.initiatives and not any("prose" in w for w in d.warnings)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["## Pilote :", "## Lieu :", "- ", "*", "Association Truc", "\n", "\n\n", " : ",
                                 "# → Titre, Structure", "12 000 €", "de la Région", "Vierzon (18)", "dont cofinanceurs :",
                                 "(", ")", ", ", " et "]), max_size=40).map("".join))
def test_reader_never_crashes_and_spans_stay_in_text(text):
    d = read(text)
    assert_spans_inside(d, text)
    assert all(f.funders for f in d.fundings)


def test_regression_bullet_with_a_colon_does_not_cut_the_partner_field():
    text = ("# → Action test, Association Alpha\n\n## Lieu :\n\n- Vierzon (18)\n\n## Pilote :\n\n- Association Alpha\n\n"
            "## Partenaires :\n\n- *Groupe de travail (outre Alpha) : DDT18*\n- *Mairie de Vierzon*\n- *CAF 18*\n")
    d = read(text)
    assert names(d, [p.partner for p in d.partnerships]) == ["DDT18", "Mairie de Vierzon", "CAF 18"]


def test_regression_etat_after_an_elided_article_keeps_its_first_letters():
    text = "l'Etat, la Région Centre-Val de Loire et l'Europe"
    assert [text[s:e] for s, e in split_names(text, 0, len(text), enumeration=True)][0] == "Etat"


def test_regression_ainsi_que_does_not_split_a_name_with_et():
    text = "les partenaires financiers sont l'État, la Région, ainsi que Maisons et Cités"
    s = text.index("l'État")
    assert [text[a:b] for a, b in split_names(text, s, len(text), enumeration=True)] == ["État", "Région", "Maisons et Cités"]


def test_regression_financial_aid_read_from_a_bulleted_action_section():
    text = ("# → Aide aux travaux, Département Test\n\n## Lieu :\n\n- Vierzon (18)\n\n## Pilote :\n\n- Association Beta\n\n"
            "## Nature des actions conduites\n\n- Intervention financière en complément des aides nationales.\n")
    d = read(text)
    assert [names(d, f.funders) for f in d.fundings] == [["Association Beta"]]


def test_financing_the_action_itself_does_not_make_the_pilot_a_funder():
    text = ("# → Paniers, Réseau Gamma\n\n## Lieu :\n\n- Vierzon (18)\n\n## Pilote :\n\n- Réseau Gamma\n\n"
            "## Nature des actions conduites\n\nFinancement des paniers / gestion / capitalisation.\n")
    assert read(text).fundings == []


def test_generic_kinds_are_not_organisations():
    text = "# → Action, Collectif Delta\n\n## Lieu :\n\n- Vierzon (18)\n\n## Pilote :\n\n- Collectif Delta\n\n## Partenaires :\n\n- EPCI\n- Centres sociaux\n- GIP\n"
    assert read(text).partnerships == []


NUMBERED = """Recueil d'initiatives 2024

Fiche n°1 – Cantine solidaire des Tilleuls

Porteur du projet : Association Les Tables Ouvertes
Territoire : Vierzon (18), Centre-Val de Loire
Date de lancement : septembre 2022
Partenaires : CCAS de Vierzon, Banque Alimentaire du Cher et Secours Catholique
Budget : 85 000 € par an
Financeurs : Conseil départemental du Cher (20 000 €), Fondation Solidaire Test (15 000,50 €), CAF du Cher

Fiche n°2 – Garage solidaire du Val

Porteur du projet : Garage Solidaire Valéen
Territoire : Bourges (18)
Date : 2021
Partenaires : Bourges Plus ; Mission locale de Bourges ; France Travail
Financeurs :
- État : 300 000 €
- 150 000 € du Département
"""


def test_regression_numbered_fiche_titles_without_markdown():
    d = read(NUMBERED)
    assert [i.name for i in d.initiatives] == ["Cantine solidaire des Tilleuls", "Garage solidaire du Val"]
    assert [names(d, i.pilots) for i in d.initiatives] == [["Association Les Tables Ouvertes"], ["Garage Solidaire Valéen"]]
    assert d.initiatives[0].start == "2022-09" and d.initiatives[1].start == "2021"


def test_regression_one_amount_per_funder_in_parentheses():
    d = read(NUMBERED)
    got = {(names(d, f.funders)[0], f.amount_eur, f.initiative) for f in d.fundings}
    assert got == {("Conseil départemental du Cher", 20000.0, "fiche-1"), ("Fondation Solidaire Test", 15000.5, "fiche-1"),
                   ("CAF du Cher", None, "fiche-1"), ("État", 300000.0, "fiche-2"),
                   ("Conseil départemental du Cher", 150000.0, "fiche-2")}   # "du Département" named after Bourges (18)


def test_fields_in_a_markdown_table_and_role_headings():
    text = ("# → Jardin des Deux Rives, Collectif Epsilon\n\n| Rubrique | Contenu |\n|---|---|\n"
            "| **Lieu** | Vierzon (18) |\n| **Pilote(s)** | Collectif Epsilon |\n"
            "| Partenaires | Mairie de Vierzon<br>Secours Populaire |\n\n## Prescripteurs :\n\n- France Travail\n- Mission locale de Vierzon\n")
    d = read(text)
    (ini,) = d.initiatives
    assert names(d, ini.pilots) == ["Collectif Epsilon"] and "com:18279" in ini.territories
    got = {(names(d, [p.partner])[0], p.role) for p in d.partnerships}
    assert got == {("Mairie de Vierzon", "partenaire"), ("Secours Populaire", "partenaire"),
                   ("France Travail", "prescripteur"), ("Mission locale de Vierzon", "prescripteur")}


def test_auto_reader_recognises_a_fiche_written_as_a_table():
    text = "Jardin\n\n| **Lieu** | Vierzon (18) |\n| **Pilote** | Collectif Epsilon |\n"
    assert looks_like_fiche(text)
    assert not looks_like_fiche("Un article : il parle du pilote de la course.\nLe lieu : un stade.\n| a | b |\n")


def test_auto_falls_back_to_the_fiche_reader_when_prose_cannot_load(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "maillage.extract.prose", None)   # import fails
    d = extract_text("Un article sans rubriques.\n", "a.txt", link=False)
    assert any("prose reader unavailable" in w for w in d.warnings)


def test_strip_confidence_keeps_line_numbers_and_yaml_shape():
    import yaml

    from maillage.extract.draft_io import strip_confidence

    text = "a:\n  - confidence: 0.5\n    id: x\n  - id: y\n    confidence: 0.9   # note\nb: 1\n"
    out = strip_confidence(text)
    assert out.count("\n") == text.count("\n")
    assert yaml.safe_load(out) == {"a": [{"id": "x"}, {"id": "y"}], "b": 1}
    assert out.splitlines()[5] == "b: 1"


def test_yaml_draft_round_trips_through_the_records_validator():
    import yaml

    from maillage.extract.draft_io import strip_confidence, to_yaml
    from maillage.loaders.records import DocumentRecords

    d = read(FICHE)
    records = DocumentRecords.model_validate(yaml.safe_load(strip_confidence(to_yaml(d))))
    assert [i.name for i in records.initiatives] == ["Épicerie sociale itinérante"]
    assert {f.amount_eur for f in records.fundings} == {40000, 12500, None}
    assert all(f.source for f in records.fundings) and all(p.source for p in records.participations)


# ---------------------------------------------------------------- names with inner connectors, stated fundings

_FICHE = ("# → Atelier test, Association Gamma\n\n## Lieu :\n\n- Morlaix (29)\n\n## Pilote :\n\n- Association Gamma\n\n"
          "## Partenaires :\n\n- Chambre de commerce et d'industrie de Bretagne occidentale\n"
          "- Lycée des métiers de l'hôtellerie de Morlaix\n\n"
          "## Cofinanceurs :\n\n{bullets}\n\n## Description\n\n{prose}\n")


def _fundings(d):
    return sorted((names(d, f.funders), f.amount_eur) for f in d.fundings)


@pytest.mark.parametrize("bullet, funders_, amount", [
    ("- Fondation Jean et Marie Durand : 8 000 €", ["Fondation Jean et Marie Durand"], 8000.0),
    ("- CAF du Finistère : 4 000 €", ["CAF du Finistère"], 4000.0),
    ("- CAF 29 : 3 000 €", ["CAF 29"], 3000.0),
    ("- Caisse d'allocations familiales du Finistère : 3 500 €", ["Caisse d'allocations familiales du Finistère"], 3500.0),
    ("- Fonds national d'aménagement et de développement du territoire (FNADT) : 20 000 €",
     ["Fonds national d'aménagement et de développement du territoire (FNADT)"], 20000.0),
    ("- Agence nationale pour la rénovation urbaine : 30 000 € sur deux ans",
     ["Agence nationale pour la rénovation urbaine"], 30000.0),
    ("- Fonds européen de développement régional (programme INTERREG) : 45 k€",
     ["Fonds européen de développement régional"], 45000.0),
    ("- Office national des forêts : 2 000 €", ["Office national des forêts"], 2000.0),
    ("- Région Bretagne et Département du Finistère : 9 000 €", ["Région Bretagne", "Département du Finistère"], 9000.0),
])
def test_cofinanceur_bullet_names_keep_their_connectors(bullet, funders_, amount):
    d = read(_FICHE.format(bullets=bullet, prose="Une action d'insertion."))
    assert _fundings(d) == [(funders_, amount)]


def test_partner_bullets_that_are_one_long_name_are_kept_whole():
    d = read(_FICHE.format(bullets="- Région Bretagne : 1 000 €", prose="Une action d'insertion."))
    assert names(d, [p.partner for p in d.partnerships]) == [
        "Chambre de commerce et d'industrie de Bretagne occidentale", "Lycée des métiers de l'hôtellerie de Morlaix"]


def test_fundings_stated_in_the_fiche_sentences():
    prose = ("La Mutualité sociale agricole d'Armorique a versé 1 500 € en 2023. La Fondation Léa et Paul Martin "
             "apporte 6 000 € et le Crédit Agricole 2 500 €. Le budget total atteint 90 000 €.")
    d = read(_FICHE.format(bullets="- Région Bretagne : 1 000 €", prose=prose))
    assert _fundings(d) == [(["Crédit Agricole"], 2500.0), (["Fondation Léa et Paul Martin"], 6000.0),
                            (["Mutualité sociale agricole d'Armorique"], 1500.0), (["Région Bretagne"], 1000.0)]


def test_a_stated_funding_repeating_a_bullet_is_not_counted_twice():
    d = read(_FICHE.format(bullets="- Région Bretagne : 1 000 €", prose="La Région Bretagne a alloué 1 000 € à l'atelier."))
    assert _fundings(d) == [(["Région Bretagne"], 1000.0)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["et", ",", "de", "la", "Fondation", "Caisse", "d'allocations", "(FEADER)", "pour", ":",
                                 "5 000 €", "Martin", "Région", "Bretagne", "a versé", "soit", "80 %"]), max_size=14))
def test_cofinanceur_bullets_and_sentences_of_random_words_never_fail(words):
    line = " ".join(words)
    text = _FICHE.format(bullets=f"- {line}", prose=line + ".")
    d = read(text)
    assert_spans_inside(d, text)


# ---------------------------------------------------------------- heading vocabulary and shapes
# Made-up fiches (not the held-out files): the same three fields written in each heading shape
# French project sheets use; every shape must give the same pilot, place and funders.

_SHAPES = {
    "colon": "Porteur de projet : Association Vélo Partage\n\nCommune : Albi (Tarn)\n\n"
             "Financeurs :\n- Région Occitanie : 12 000 €\n- Fondation Orange : 3 000 €\n",
    "bold": "**Structure porteuse** : Association Vélo Partage\n\n**Localisation** : Albi (Tarn)\n\n"
            "**Cofinancements** :\n- Région Occitanie : 12 000 €\n- Fondation Orange : 3 000 €\n",
    "markdown": "### Maître d'ouvrage\n\nAssociation Vélo Partage\n\n### Territoire\n\nAlbi (Tarn)\n\n"
                "### Plan de financement\n\n- Région Occitanie : 12 000 €\n- Fondation Orange : 3 000 €\n",
    "numbered next line": "1. Organisme responsable :\nAssociation Vélo Partage\n\n2. Zone géographique :\nAlbi (Tarn)\n\n"
                          "3. Soutiens financiers :\n– Région Occitanie : 12 000 €\n– Fondation Orange : 3 000 €\n",
    "numbered same line": "1. Opérateur : Association Vélo Partage\n2. Périmètre : Albi (Tarn)\n"
                          "3. Financements :\n• Région Occitanie : 12 000 €\n• Fondation Orange : 3 000 €\n",
    "caps": "PORTEUR : Association Vélo Partage\n\nLIEU : Albi (Tarn)\n\nFINANCEURS :\n"
            "* Région Occitanie : 12 000 €\n* Fondation Orange : 3 000 €\n",
    "pipe table": "| Rubrique | Contenu |\n|---|---|\n| Porteur | Association Vélo Partage |\n| Lieu | Albi (Tarn) |\n\n"
                  "| Financeur | Montant |\n|---|---|\n| Région Occitanie | 12 000 € |\n| Fondation Orange | 3 000 € |\n",
}
_TITLE = "Intitulé : Atelier de vélos en libre réparation\n\n"


@pytest.mark.parametrize("shape", list(_SHAPES))
def test_each_heading_shape_is_a_fiche_with_the_same_fields(shape):
    text = _TITLE + _SHAPES[shape]
    assert looks_like_fiche(text)
    d = read(text)
    assert len(d.initiatives) == 1
    ini = d.initiatives[0]
    assert ini.name == "Atelier de vélos en libre réparation"
    assert names(d, ini.pilots) == ["Association Vélo Partage"]
    assert _fundings(d) == [(["Fondation Orange"], 3000.0), (["Région Occitanie"], 12000.0)]
    for f in d.fundings:
        for s, e in f.spans:
            assert text[s:e].strip()


@pytest.mark.parametrize("label, kind", [
    ("Porteur", "pilote"), ("Porteur de projet", "pilote"), ("Structure porteuse", "pilote"),
    ("Maître d'ouvrage", "pilote"), ("Organisme responsable", "pilote"), ("Gestionnaire", "pilote"),
    ("Responsable", "pilote_weak"), ("Opérateur", "role:operateur"),
    ("Partenaires", "partenaires"), ("Acteurs associés", "partenaires"), ("Partenariats", "partenaires"),
    ("Partenaires mobilisés", "partenaires"), ("Partenaires techniques", "partenaires"),
    ("Partenaires financiers", "cofin"),
    ("Lieu", "lieu"), ("Territoire", "lieu"), ("Zone géographique", "lieu"), ("Localisation", "lieu"),
    ("Commune(s)", "lieu"), ("Périmètre", "lieu"),
    ("Date", "date"), ("Démarrage", "date"), ("Calendrier", "date"), ("Période", "date"), ("Durée", "date"),
    ("Année", "date"),
    ("Coût total", "cout"), ("Coût global", "cout"), ("Budget", "cout"), ("Budget total", "cout"),
    ("Montant du projet", "cout"),
    ("dont cofinanceurs", "cofin"), ("Financements", "cofin"), ("Financeurs", "cofin"),
    ("Plan de financement", "cofin"), ("Cofinancements", "cofin"), ("Soutiens financiers", "cofin"),
    ("Nom du projet", "titre"), ("Intitulé", "titre"), ("Titre", "titre"), ("Projet", "titre"),
    ("Public visé", "other"), ("Résultats", "other"),
])
def test_heading_vocabulary(label, kind):
    from maillage.extract.fiche import _classify

    assert _classify(label) == kind


@pytest.mark.parametrize("line, funder, amount", [
    ("- Région Normandie : 25 000 €", "Région Normandie", 25000.0),
    ("- 25 000 € – Région Normandie", "Région Normandie", 25000.0),
    ("- 25 000 € — Région Normandie", "Région Normandie", 25000.0),
    ("- Région Normandie (25 000 €)", "Région Normandie", 25000.0),
    ("- Région Normandie ........ 25 000,00 €", "Région Normandie", 25000.0),
    ("- Région Normandie : 25 k€", "Région Normandie", 25000.0),
    ("- État – dotation politique de la ville (préfecture du Calvados) : 25 000 €", "État", 25000.0),
    ("- Communauté de communes de Falaise, Pays d'Auge et Bocage (fonds de concours) : 25 000 €",
     "Communauté de communes de Falaise, Pays d'Auge et Bocage", 25000.0),
])
def test_funder_line_in_any_order(line, funder, amount):
    text = f"Porteur : Association Les Jardins du Lac\n\nLieu : Caen (Calvados)\n\nFinancements :\n{line}\n"
    assert _fundings(read(text)) == [([funder], amount)]


@pytest.mark.parametrize("line", ["- Chiffre d'affaires des ventes : 40 000 €", "- Coût de fonctionnement : 40 000 €",
                                  "- Budget de l'action : 40 000 €", "- Recettes de la boutique : 40 000 €",
                                  "- Autofinancement : 40 000 €"])
def test_regression_turnover_or_cost_line_in_a_funding_list_is_a_figure(line):
    text = ("Porteur : Association Les Jardins du Lac\n\nLieu : Caen (Calvados)\n\nFinancements :\n"
            f"- Région Normandie : 25 000 €\n{line}\n")
    assert _fundings(read(text)) == [(["Région Normandie"], 25000.0)]


def test_regression_title_line_with_a_colon_before_the_fields_is_the_title():
    text = ("FICHE ACTION N° 3\n\nLe Fournil : une boulangerie d'insertion\n\nPorteur : Association Pain Commun\n\n"
            "Territoire : Rodez (Aveyron)\n\nFinancements :\n• Fondation Crédit Coopératif : 5 000 €\n")
    d = read(text)
    assert [i.name for i in d.initiatives] == ["Le Fournil"]
    assert _fundings(d) == [(["Fondation Crédit Coopératif"], 5000.0)]


def test_partner_column_of_a_table_with_a_header():
    text = ("Porteur : Association Pain Commun\n\nLieu : Rodez (Aveyron)\n\n## Acteurs mobilisés\n\n"
            "| Partenaire | Rôle |\n|---|---|\n| Mission locale du Rouergue | orientation |\n"
            "| Lycée agricole de Rodez | stages |\n")
    d = read(text)
    partners = sorted(names(d, [p.partner for p in d.partnerships]))
    assert partners == ["Lycée agricole de Rodez", "Mission locale du Rouergue"]


def test_responsable_is_a_pilot_only_without_a_pilot_heading():
    with_pilot = "Porteur : Association Pain Commun\nLieu : Rodez (Aveyron)\nResponsable : Coopérative Blé Noir\n"
    assert names(read(with_pilot), read(with_pilot).initiatives[0].pilots) == ["Association Pain Commun"]
    alone = "Intitulé : Le Fournil\nLieu : Rodez (Aveyron)\nResponsable : Coopérative Blé Noir\n"
    d = read(alone)
    assert names(d, d.initiatives[0].pilots) == ["Coopérative Blé Noir"]


@pytest.mark.parametrize("text", ["", "Porteur :\nLieu :\nFinancements :\n", "### Porteur\n### Lieu\n### Budget\n",
                                  "| Financeur | Montant |\n|---|---|\n", "1. Porteur :\n2.\n3. :\n",
                                  "Financements :\n- : 25 000 €\n- 25 000 € –\n"])
def test_headings_without_values_are_safe(text):
    d = read(text)
    assert d.fundings == []


def test_ten_megabytes_of_headings_finish_in_seconds():
    text = ("### Porteur\n\nAssociation A\n\n| Financeur | Montant |\n|---|---|\n| Région B | 1 000 € |\n"
            "1. Zone géographique :\nLyon\n") * 80_000
    assert len(text) > 8_000_000
    t0 = time.time()
    looks_like_fiche(text)
    find_fields(text[:1_000_000])
    assert time.time() - t0 < 120      # hang guard


_SECTIONS = ["Porteur : Association Les Jardins du Lac", "Lieu : Caen (Calvados)",
             "Partenaires :\n{b} Mission locale de Caen\n{b} Banque alimentaire du Calvados",
             "Financements :\n{b} Région Normandie : 25 000 €\n{b} 8 000 € – Fondation de France\n"
             "{b} Département du Calvados (4 500 €)"]


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(len(_SECTIONS))), st.sampled_from(["-", "•", "*", "–"]))
def test_shuffled_sections_and_bullet_characters_keep_the_same_funders(order, bullet):
    text = "Intitulé : Jardin partagé du Lac\n\n" + "\n\n".join(_SECTIONS[i].format(b=bullet) for i in order) + "\n"
    assert looks_like_fiche(text)
    assert _fundings(read(text)) == [(["Département du Calvados"], 4500.0), (["Fondation de France"], 8000.0),
                                     (["Région Normandie"], 25000.0)]


def test_regression_partner_intercommunality_with_a_comma_stays_one_name():
    text = ("Porteur : Association Pain Commun\n\nLieu : Rodez (Aveyron)\n\nPartenaires :\n"
            "- Communauté de communes de Conques, Marcillac et Vallon\n- Lycée agricole La Roque (stages)\n")
    d = read(text)
    assert sorted(names(d, [p.partner for p in d.partnerships])) == [
        "Communauté de communes de Conques, Marcillac et Vallon", "Lycée agricole La Roque"]


def test_regression_booklet_running_title_in_capitals_is_not_the_fiche_title():
    text = ("RECUEIL DES PROJETS SOLIDAIRES – OCCITANIE\n\nLe Fournil – boulangerie d'insertion\n\n"
            "1. Porteur :\nAssociation Pain Commun\n\n2. Territoire :\nRodez (Aveyron)\n")
    assert [i.name for i in read(text).initiatives] == ["Le Fournil"]
