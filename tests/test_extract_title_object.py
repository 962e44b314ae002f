"""prose_initiatives: a title that says what a body does ("X pilote une ressourcerie itinérante")
names the initiative by its object, when the title has no proper-name head. Invented texts."""

from maillage.extract.pipeline import extract_text

_BODY = ("La régie de quartier a ouvert en mars ce nouveau lieu où chacun peut venir déposer des objets, les faire "
         "réparer et en racheter à petit prix, avec des salariés en insertion encadrés par deux techniciens. ") * 2


def _initiatives(title):
    return [i.name for i in extract_text(title + "\n\n" + _BODY + "\n", "x.txt", link=False).initiatives]


def test_the_object_of_the_title_names_the_initiative():
    assert _initiatives("La Régie des Tilleuls pilote une ressourcerie itinérante (12)") == ["Ressourcerie itinérante"]


def test_an_object_already_read_is_not_drafted_twice():
    got = _initiatives("La Régie des Tilleuls ouvre une ressourcerie solidaire (12)")
    assert len(got) == 1 and got[0].startswith("Ressourcerie solidaire")


def test_a_title_with_no_verb_and_object_gives_none_by_this_rule():
    assert "Ressourcerie" not in " ".join(_initiatives("Quand le réemploi devient un métier"))
