""""Elle obtient en plus 15 000 euros du programme européen Leader": the adverb after the verb and the
scheme's common noun before its name hid the giver, and the amount went to the body named before."""

import pytest

from maillage.extract.prose_funding import funding_statements


@pytest.mark.parametrize("sentence, giver", [
    ("Elle obtient en plus 15 000 euros du programme européen Leader.", "Leader"),
    ("L'atelier a aussi reçu 4 000 € de la Fondation Chêne Vert.", "Fondation Chêne Vert"),
])
def test_the_giver_after_de_is_read(sentence, giver):
    assert [n.text for st in funding_statements(sentence) for n in st.names] == [giver]
