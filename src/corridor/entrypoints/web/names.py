"""Site and movement names in the reader's script: Arabic in the Arabic edition, where given.

The scenario names each place in English and, where a sourced spelling is
known, in Arabic script (`name_ar`). A page shows the name in its own
language and keeps the other in the element's `title`, so a coordinator and
an Arabic-reading liaison can name the same place to each other. An id the
scenario does not know is shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from corridor.domain.scenario import Scenario


@dataclass(frozen=True)
class Names:
    """Display names of one scenario's sites and movements in one language."""

    lang: str
    sites: dict[str, tuple[str, str]]
    movements: dict[str, tuple[str, str]]

    @classmethod
    def of(cls, world: Scenario | None, lang: str) -> Names:
        if world is None:
            return cls(lang, {}, {})
        return cls(
            lang,
            {s.id: (s.name, s.name_ar) for s in world.sites},
            {m.id: (m.name or m.id, m.name_ar) for m in world.movements},
        )

    def _shown(self, key: str, known: dict[str, tuple[str, str]]) -> Markup:
        english, arabic = known.get(key, (key, ""))
        if self.lang == "ar" and arabic:
            return Markup('<span class="name" title="{}" data-id="{}">{}</span>').format(
                english, key, arabic
            )
        if arabic:
            return Markup('<span class="name" title="{}" data-id="{}">{}</span>').format(
                arabic, key, english
            )
        return Markup('<span class="name" data-id="{}">{}</span>').format(key, english)

    def text(self, key: str) -> str:
        """A site's name in this language as plain text (for labels and attributes)."""
        english, arabic = self.sites.get(key, (key, ""))
        return arabic if self.lang == "ar" and arabic else english

    def site(self, key: str) -> Markup:
        return self._shown(key, self.sites)

    def movement(self, key: str) -> Markup:
        return self._shown(key, self.movements)
