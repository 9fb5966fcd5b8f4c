"""What a report may show: small-group suppression and its complement.

Free text is masked as well, by `model.privacy.mask_for_report`, beside the
policy that wrote the dataset.

The rule, in full (the README's "The Sammanställning" says the same in words):

1. A *cell* is the set of respondents behind one table: a group (or all
   respondents), or, for a question that only applied to some (`enable_when`),
   those it applied to. A cell with fewer than `min_count` respondents shows no
   counts, no percentages and no free text (reason `small`). An empty cell (0)
   has nothing to hide. How many answered a question that did not apply to them
   (not part of any cell's base) is said only beside a shown cell, as a count of
   an answer is.
2. Complementary suppression. The total is shown whenever it reaches
   `min_count`. Then "total minus the shown groups" is the sum of the hidden
   groups: if that sum is between 1 and `min_count - 1`, one hidden group's
   answers could be worked out by subtraction. So the smallest shown group is
   hidden too (reason `complement`), and the next, until the hidden groups
   together hold at least `min_count` respondents. The same runs per question
   over that question's cells, with the groups hidden as a whole counted as
   hidden from the start; and over the care units of the patient/unit pairing,
   where patients matched to no unit are a group that is never shown.
3. Free text is listed only in a shown cell, and never twice: with groups it is
   listed per group only, not again under the total, so no text can be
   attributed to a hidden group by comparing lists.

What the rule does not do: an option chosen by 1 of 40 respondents is shown.
Hiding small option counts would hide exactly the answers a manager must see,
and the group's size is what protects the person. A group whose respondents
all gave the same answer does reveal that answer for each of them; keep groups
large (raise `--min-count`) where that matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

SMALL, COMPLEMENT = "small", "complement"
DEFAULT_MIN_COUNT = 5


def hide(sizes: Mapping[str, int], min_count: int, always: Iterable[str] = ()) -> dict[str, str]:
    """Which groups to hide, and why: `small` or `complement` (see the module's rule).

    `always` are groups hidden whatever their size (hidden as a whole, or never
    shown, such as patients matched to no unit); they count towards the hidden sum.
    """
    hidden = {k: SMALL for k, n in sizes.items() if 0 < n < min_count}
    for key in always:
        hidden.setdefault(key, SMALL)
    shown = sorted((n, k) for k, n in sizes.items() if k not in hidden and n > 0)
    while 0 < sum(sizes.get(k, 0) for k in hidden) < min_count and shown:
        _n, key = shown.pop(0)
        hidden[key] = COMPLEMENT
    return hidden
