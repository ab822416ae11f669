"""The consistency review of a preview, round by round: a round's flags are the last load's
while everything they are made from (`review.RoundToReview`: its id, criteria, measures and
their previous versions) is the very same objects, which the preview's `FileCache` gives for
files not read again. The analysis computes from plain inputs; whether its last result still
holds is decided here, in the build layer."""

from __future__ import annotations

from prioportal.analyses.review import ReviewFlag, review_one, rounds_to_review
from prioportal.build.reuse import Reuse
from prioportal.checks.portal import Review
from prioportal.model.portal import Portal


def reviewing(kept: Reuse) -> Review:
    """`review.review_portal` (with the explanations the measures carry), keeping each round's
    flags in `kept` for the next load; call `kept.next_build()` once a load has succeeded."""
    def review(portal: Portal) -> dict[str, list[ReviewFlag]]:
        return {given.round_id: kept.from_sources("review", given.sources(), lambda given=given: review_one(given))
                for given in rounds_to_review(portal)}

    return review
