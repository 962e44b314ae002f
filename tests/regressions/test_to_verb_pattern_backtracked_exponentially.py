"""The pattern for what stands between a subject list and its verb (``_TO_VERB`` in extract/syntax.py)
let a bare ``\\s*`` follow each adverb, so a run of "…ment" without spaces could be split every way:
121 characters took 1.2 s and every 5 more doubled it. Each word now ends at a space, an apostrophe
or the end."""
import subprocess
import sys

from hypothesis import given, strategies as st

from maillage.extract.syntax import _TO_VERB

WORDS = ["aussi", "également", "déjà", "en outre", "enfin", "ensuite", "y", "lui", "leur", "en", "se",
         "financièrement", "notamment"]


def test_a_long_run_of_ment_ends_at_once():
    code = ("from maillage.extract.syntax import _TO_VERB\n"
            "assert _TO_VERB.match('xment' * 400 + '!') is None\n"
            "assert _TO_VERB.match(' qui ' + 'xment' * 400 + ' ') is not None\n")
    # 400 repetitions: centuries with the old pattern; the bound is a hang guard, not a speed target
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@given(st.lists(st.sampled_from(WORDS), max_size=6), st.booleans())
def test_adverbs_between_the_list_and_its_verb_still_match(words, qui):
    gap = (", qui " if qui else " ") + " ".join(words) + " "
    assert _TO_VERB.match(gap)


def test_an_elided_pronoun_still_joins_its_word():
    assert _TO_VERB.match(" s'y ") and _TO_VERB.match(" qui s’en ")
    assert not _TO_VERB.match(" les services de l'État, qui ")
