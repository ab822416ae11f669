"""The consistency review of a preview, round by round: a round's review (its flags and the
warnings they give) is the last load's while everything it is made from
(`review.RoundToReview`: its id, criteria, measures and their previous versions) is the very
same objects, which the preview's `FileCache` gives for files not read again. The very same
measure objects come with the very same documents, where the warnings are placed. The review
is computed from plain inputs (`checks.rounds.review_round`); whether its last result still
holds is decided here, in the build layer."""

from __future__ import annotations

from collections.abc import Callable

from prioportal.analyses.review import RoundToReview
from prioportal.build.reuse import Reuse
from prioportal.checks.portal import Reviews
from prioportal.checks.rounds import RoundReviewed


def reviewing(kept: Reuse) -> Reviews:
    """How `load_portal` reviews a round, keeping each round's review in `kept` for the next
    load; call `kept.next_build()` once a load has succeeded."""
    def review(given: RoundToReview, make: Callable[[], RoundReviewed]) -> RoundReviewed:
        return kept.from_sources("review", given.sources(), make)

    return review
