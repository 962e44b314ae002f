"""Regression: a Département's report to its commission permanente, copied on a document-sharing
site, drafted no funder: the host is no publisher and the text says only "le Département"
(invented text). The report's title says whose act it is; the communes it names say which
Département."""

from __future__ import annotations

from maillage.extract.pipeline import extract_text


def test_the_report_title_makes_the_departement_the_giver():
    text = ("RAPPORT À LA COMMISSION PERMANENTE DU CONSEIL DÉPARTEMENTAL\n\nRéunion du 6 mai 2021\n\n"
            "OBJET : SOUTIEN AUX ASSOCIATIONS D'ACCUEIL – SUBVENTIONS 2021.\n\n"
            "Le Département soutient ainsi des associations proposant un accueil de jour.\n\n"
            "Le centre d'accueil « Le Phare » situé à Bourges, de l'association Amis du Port.\n")
    d = extract_text(text, "d.txt", link=False, url="https://www.docs-partages.net/document/x")
    names = {o.key: o.name for o in d.organisations}
    assert "Département du Cher" in {names[k] for f in d.fundings for k in f.funders}
