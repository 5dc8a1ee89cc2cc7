"""The Ablauf from the bounds the sources give: onset and recovery of every outage episode.

The rules live one concept per module; this module gathers their public names:

- :mod:`incident.reconstruct.roles`: what each claim says (its role, the rule table) and the
  bounds it gives, raw and in agreement space;
- :mod:`incident.reconstruct.episodes`: which claims bound which episode (days, relapses,
  "läuft wieder" closing an earlier episode);
- :mod:`incident.reconstruct.consensus`: the largest consistent set of independent accounts,
  within-source and time conflicts;
- :mod:`incident.reconstruct.assembly`: the published Ablauf and its constraints table.
"""

from __future__ import annotations

from incident.ids import group_join
from incident.reconstruct.assembly import CONSTRAINT_COLUMNS, SEQUENCE_COLUMNS, attach_conflict_ids, sequence
from incident.reconstruct.consensus import largest_consistent_sets
from incident.reconstruct.episodes import constraints
from incident.reconstruct.roles import AGREE_SECONDS, ROLES, roles

__all__ = [
    "AGREE_SECONDS",
    "CONSTRAINT_COLUMNS",
    "ROLES",
    "SEQUENCE_COLUMNS",
    "attach_conflict_ids",
    "constraints",
    "group_join",
    "largest_consistent_sets",
    "roles",
    "sequence",
]
