"""The pattern that reads "X est une association …" / "X, c'est …" (``_SUBJECT`` in
extract/prose_initiatives.py) let a ``\\s*`` follow the name and then asked for ``\\s+est``: on a run of
blanks the two quantifiers could share it every way, so 10,000 spaces in one sentence cost 25 s in the
prose reader. Each separator now has one quantifier."""
import subprocess
import sys

from hypothesis import given, strategies as st

from maillage.extract.prose_initiatives import _SUBJECT


def test_a_long_blank_run_after_a_capital_ends_at_once():
    code = ("from maillage.extract.prose_initiatives import _SUBJECT\n"
            "for blank in (' ', '\\u00a0'):\n"
            "    assert _SUBJECT.match('A' + blank * 50000 + 'x') is None\n")
    # 50,000 blanks: about ten minutes with the old pattern; the bound is a hang guard, not a speed target
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@given(st.sampled_from(["Le Bistrot mobile", "Mobil'Emploi", "La Recyclerie du Pays", "Garage Solidaire"]),
       st.text(alphabet=" \u00a0\t", min_size=1, max_size=30),
       st.sampled_from(["est une association", "est un atelier", "EST UNE scop"]))
def test_the_name_before_est_is_read_whatever_the_blanks(name, blanks, tail):
    m = _SUBJECT.match(name + blanks + tail + " qui …")
    assert m is not None and m.group("name") == name


@given(st.text(alphabet=" \u00a0", max_size=10), st.text(alphabet=" \u00a0", max_size=10))
def test_the_name_before_c_est_is_read_whatever_the_blanks(before, after):
    m = _SUBJECT.match("Mobil'Emploi" + before + "," + after + "c’est un bus")
    assert m is not None and m.group("name").strip() == "Mobil'Emploi"
