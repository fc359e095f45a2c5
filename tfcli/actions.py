"""Pure queries over the model: every action's effective state, from its own meeting and the
follow-ups (`updates:`) of later meetings. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tfcli.model import CLOSED_STATUSES, Action, Meeting, Repo, Update


@dataclass(frozen=True, slots=True)
class Tracked:
    """An action as it stands now: the latest update (by meeting date) wins."""

    action: Action
    meeting: Meeting
    status: str
    due: date | None
    history: tuple[Update, ...]  # the updates that apply, oldest first
    closed_in: str | None  # the meeting whose update closed it (done/dropped)

    @property
    def id(self) -> str:
        return self.action.id

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def postponements(self) -> int:
        """How often the deadline was moved later."""
        count, due = 0, self.action.due
        for u in self.history:
            if u.due and (due is None or u.due > due):
                count += 1
            due = u.due or due
        return count

    def overdue(self, today: date) -> bool:
        """Overdue once the due day has ended in the group's time zone: due today is not."""
        return self.is_open and self.due is not None and self.due < today


def track(repo: Repo) -> list[Tracked]:
    """Every action in the repo with its effective state, in meeting order."""
    updates: dict[str, list[Update]] = {}
    for m in repo.meetings:
        for u in m.updates:
            updates.setdefault(u.action_id, []).append(u)
    out = []
    for m in repo.meetings:
        for a in m.actions:
            history = sorted(
                (u for u in updates.get(a.id, ()) if u.meeting_date >= a.meeting_date),
                key=lambda u: (u.meeting_date, u.meeting_id, u.line),
            )
            status, due, closed_in = a.status, a.due, None
            for u in history:
                if u.status:
                    status = u.status
                    closed_in = u.meeting_id if status in CLOSED_STATUSES else None
                due = u.due or due
            out.append(Tracked(a, m, status, due, tuple(history), closed_in))
    return out


def open_count(tracked: list[Tracked], meeting: Meeting) -> int:
    return sum(1 for t in tracked if t.meeting is meeting and t.is_open)
