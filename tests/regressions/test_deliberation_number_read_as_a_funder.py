"""A deliberation's reference ("DDEEES 1145 G - Subvention (10.000 euros)", "la CP 08-702") was read
as the body that gives the amount; the page's publisher then never got its grant."""

import pytest

from maillage.extract.prose_funding import funding_statements


@pytest.mark.parametrize("sentence", [
    "2014 DDEEES 1145 G - Subvention (10.000 euros) et convention avec la régie de quartier Exemple.",
    "La subvention de 18 400 € a été attribuée par la CP 08-702 du 10 juillet 2008.",
])
def test_a_reference_code_gives_nothing(sentence):
    names = [n.text for st in funding_statements(sentence) for n in st.names]
    assert not [n for n in names if n.split()[0] in ("DDEEES", "CP")], names
