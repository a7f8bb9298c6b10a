"""Play a recorded run into a live operation as its exercise clock passes each event.

The demo (`corridor serve --demo`) replays East Aleppo from 15 December 2016
at x60: without something moving, a newcomer would see 33 idle vehicles. A
playback appends each group of a simulated run's events (the deal's
decisions and the trips' custody events) once the operation's own clock has
passed the time it happened, through the one pipeline, so every reader (the
API, the dashboard, the stream, exports) sees convoys board, cross and
arrive as if monitors were counting them. Commands sent meanwhile are
decided on the live record as always; the played events are the run's, not
decided again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime

from corridor.domain.events import NewEvent
from corridor.domain.operation import operation_stream
from corridor.errors import CorridorError
from corridor.services.bus import Services
from corridor.services.simulated_runs import Timeline

__all__ = ["Playback"]

ACTOR = "simulation:demo"


class Playback:
    """Appends a timeline's due events; `step()` once, or `start()` a thread that steps."""

    def __init__(self, services: Services, operation: str, timeline: Timeline) -> None:
        self.services = services
        self.operation = operation
        self.timeline = timeline
        self.played = self._already_played()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _already_played(self) -> int:
        """Groups a previous server of this operation appended (one command each)."""
        stream = operation_stream(self.operation)
        commands = {
            e.command for e in self.services.live.ledger.read(stream=stream) if e.actor == ACTOR
        }
        return len(commands)

    def due(self) -> datetime:
        """The operation's time now."""
        now = self.services.wall.now()
        clock = self.services.live.read(self.operation, lambda record: record.clock)
        moment: datetime = clock.now(now)
        return moment

    def step(self) -> int:
        """Append every group whose time has come; how many groups were appended."""
        now = self.due()
        appended = 0
        while self.played < len(self.timeline) and self.timeline[self.played][0] <= now:
            self.services.live.command(
                self.operation, _appending(self.timeline[self.played][1]), ACTOR
            )
            self.played += 1
            appended += 1
        return appended

    def start(self, every: float = 0.5) -> None:
        def loop() -> None:
            while not self._stop.wait(every) and self.played < len(self.timeline):
                try:
                    self.step()
                except CorridorError:
                    continue  # a busy or lost store: the next tick tries again

        self._thread = threading.Thread(target=loop, name="demo-playback", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _appending(events: Sequence[NewEvent]) -> Callable[[object], list[NewEvent]]:
    return lambda _record: list(events)
