"""The annual ranking: who is ranked, the bottom-20% cut, ranks, and the top teams.

Scores are compared unrounded; `score_key` only absorbs floating-point noise (two routes to
the same 85.0 must tie), far below the one decimal that is shown.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field


def score_key(score: float) -> float:
    return round(score, 9)


def bottom_count(n: int, share: float) -> int:
    """k = ceil(share * n) (0.2 * 15 is 3.0000000000000004 in floating point: still 3)."""
    return math.ceil(round(share * n, 9)) if n else 0


def bottom_cut(scores: list[float], share: float) -> float | None:
    """The k-th lowest score; everyone at or below it is in the bottom group (ties included)."""
    k = bottom_count(len(scores), share)
    return sorted(scores, key=score_key)[k - 1] if k else None


def in_bottom(score: float, cut: float | None) -> bool:
    return cut is not None and score_key(score) <= score_key(cut)


def competition_ranks(scores: dict[str, float]) -> dict[str, int]:
    """1 = best; equal scores share the best rank (1, 2, 2, 4)."""
    keys = {eid: score_key(s) for eid, s in scores.items()}
    return {eid: 1 + sum(other > mine for other in keys.values()) for eid, mine in keys.items()}


def top_groups(means: dict[str, float], top: int) -> set[str]:
    """The `top` best groups by mean, and any group tied with the last of them."""
    if not means or top <= 0:
        return set()
    ordered = sorted((score_key(m) for m in means.values()), reverse=True)
    line = ordered[min(top, len(ordered)) - 1]
    return {g for g, m in means.items() if score_key(m) >= line}


@dataclass
class YearRanking:
    annual: dict[str, float]  # annual score of every ranked person
    group_of: dict[str, str]  # ranked person -> ranking group ("center" or a department)
    cut: dict[str, float | None]  # ranking group -> k-th lowest annual score
    rank: dict[str, int]
    insufficient: set[str]  # active people without enough monthly scores (or no annual score)
    team_means: dict[str, tuple[float, int]] = field(default_factory=dict)  # department -> (mean, ranked n)
    top_teams: set[str] = field(default_factory=set)

    def bottom(self) -> set[str]:
        return {eid for eid, s in self.annual.items() if in_bottom(s, self.cut[self.group_of[eid]])}


def rank_year(annual: dict[str, float | None], monthly_counts: dict[str, int], active: dict[str, bool],
              department: dict[str, str], min_months: int, share: float, by_department: bool,
              top_teams: int) -> YearRanking:
    ranked = {eid: s for eid, s in annual.items()
              if active.get(eid) and monthly_counts.get(eid, 0) >= min_months and s is not None}
    insufficient = {eid for eid in annual if active.get(eid) and eid not in ranked}
    group_of = {eid: department[eid] if by_department else "center" for eid in ranked}
    cut, rank = {}, {}
    for group in set(group_of.values()):
        members = {eid: s for eid, s in ranked.items() if group_of[eid] == group}
        cut[group] = bottom_cut(list(members.values()), share)
        rank.update(competition_ranks(members))
    by_team: dict[str, list[float]] = {}
    for eid, s in ranked.items():
        by_team.setdefault(department[eid], []).append(s)
    team_means = {d: (sum(v) / len(v), len(v)) for d, v in by_team.items()}
    tops = top_groups({d: m for d, (m, _) in team_means.items()}, top_teams)
    return YearRanking(ranked, group_of, cut, rank, insufficient, team_means, tops)
