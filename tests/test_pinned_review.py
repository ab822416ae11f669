"""The consistency review, pinned where mutation testing (`make mutation`, README "Mutation
testing") found a change to the code that no other test noticed: where its warnings point, and
which measures it compares.
"""

from __future__ import annotations

from portal_factory import MEASURE_FOLLOW_ON, load, patch_file, position
from prioportal.analyses import review as rv
from prioportal.problems import Severity


def test_an_unexplained_change_of_assessment_is_a_warning_at_the_level_that_changed(portal_dir):
    """The communicator is sent to the level that differs from the previous round (nytte:
    svaert-stor in 2025, stor now), not to the top of the file."""
    text = patch_file(portal_dir, MEASURE_FOLLOW_ON,
                      "review_notes:\n  assessment_changed: Ventetiden er kortere enn i 2025, så nytten av flere "
                      "årsverk er mindre.\n", "")
    line, column = position(text, "  nytte:\n    level: ", len("  nytte:\n    level: "))
    (warning,) = [w for w in load(portal_dir).warnings if w.path.endswith(MEASURE_FOLLOW_ON)]
    assert (warning.line, warning.column, warning.severity) == (line, column, Severity.warning)
    assert warning.message.startswith("'Styrket hjemmetjeneste, videreføring' (styrket-hjemmetjeneste-2026) is "
                                      "assessed differently than in budsjett-2025 (styrket-hjemmetjeneste-2025): "
                                      "nytte svaert-stor → stor")
    assert warning.advice == "write why under 'review_notes: assessment_changed:' in this measure"


def test_a_flag_whose_file_was_not_read_as_a_document_is_a_warning_at_the_top_of_the_file(portal_dir):
    portal = load(portal_dir)
    later = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2026")
    earlier = next(x for x in portal.measures if x.id == "styrket-hjemmetjeneste-2025")
    flag = rv.assessment_changed(later, earlier)
    problem = rv.flag_problem(flag, MEASURE_FOLLOW_ON)
    assert (problem.path, problem.line, problem.column, problem.severity) == (MEASURE_FOLLOW_ON, 1, 1, Severity.warning)
    assert (problem.message, problem.advice) == (flag.description, rv.ADVICE[rv.FlagKind.assessment_changed])


def test_an_explanation_no_flag_needs_any_more_is_a_warning_at_the_explanation(portal_dir):
    """A stale reason must not be published unnoticed: the communicator is sent to it."""
    text = patch_file(portal_dir, MEASURE_FOLLOW_ON, "review_notes:\n",
                      "review_notes:\n  dominated: Rangert lavere fordi det var dyrere.\n")
    line, column = position(text, "  dominated:", len("  dominated: "))
    (warning,) = [w for w in load(portal_dir).warnings if w.path.endswith(MEASURE_FOLLOW_ON)]
    assert (warning.line, warning.column, warning.severity) == (line, column, Severity.warning)
    assert (warning.message, warning.advice) == (
        "the review no longer flags this measure for 'dominated'",
        "remove this explanation, or check whether the rank or assessment was changed by mistake")


# --- Treated differently: which measure is named, and what is said --------------------------------

def twin(base, ident: str, title: str, **update):
    """A measure assessed exactly as `base`, with its own id, title and whatever else is given."""
    return base.model_copy(update={"id": ident, "title": title, **update})


def test_measures_assessed_alike_in_other_sectors_are_each_compared_with_the_best_treated_one(portal_dir):
    portal = load(portal_dir)
    criteria = portal.criteria_set("kriterier-2025")
    base = next(x for x in portal.measures if x.id == "praktisk-bistand-2025")  # Helse og omsorg, rationed
    nothing = next(x for x in portal.measures if x.id == "kveldsapent-bibliotek-2025").outcome  # deprioritised
    helse_first = twin(base, "helse-en", "Helse en", rank=1)
    kultur = twin(base, "kultur", "Kultur", sector="Kultur", rank=2)
    helse_far = twin(base, "helse-to", "Helse to", rank=6)  # 4 below Kultur, the best of another sector
    helse_denied = twin(base, "helse-tre", "Helse tre", rank=1, outcome=nothing)  # not ranked below Kultur
    kultur_both = twin(base, "kultur-to", "Kultur to", sector="Kultur", rank=3, outcome=nothing)
    flags = rv.treated_differently([helse_first, kultur, helse_far, helse_denied, kultur_both], criteria)
    said = {f.measure: (f.others, f.description) for f in flags}
    alike = "are assessed the same on every criterion, but"
    assert said == {
        "helse-tre": (("kultur",), f"'Helse tre' (helse-tre, Helse og omsorg) and 'Kultur' (kultur, Kultur) {alike} "
                                   "'Helse tre' received no resources (deprioritised) while the other did (rationed)"),
        "kultur-to": (("helse-en",), f"'Kultur to' (kultur-to, Kultur) and 'Helse en' (helse-en, Helse og omsorg) "
                                     f"{alike} 'Kultur to' is ranked 3 against 1 and received no resources "
                                     "(deprioritised) while the other did (rationed)"),
        "helse-to": (("kultur",), f"'Helse to' (helse-to, Helse og omsorg) and 'Kultur' (kultur, Kultur) {alike} "
                                  "'Helse to' is ranked 6 against 2"),
    }


def test_measures_without_a_rank_or_an_outcome_yet_are_compared_without_failing(portal_dir):
    """A round in preparation: some measures unranked, none decided."""
    portal = load(portal_dir)
    criteria = portal.criteria_set("kriterier-2025")
    base = next(x for x in portal.measures if x.id == "praktisk-bistand-2025")
    unranked = twin(base, "uten-rang", "Uten rang", rank=None, outcome=None)
    other = twin(base, "kultur", "Kultur", sector="Kultur", rank=None, outcome=None)
    ranked_alone = twin(base, "helse", "Helse", rank=9, outcome=None)
    assert rv.treated_differently([unranked, other, ranked_alone], criteria) == []
