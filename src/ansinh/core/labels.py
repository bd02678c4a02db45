"""Labelled enumerations: a stable code with a Vietnamese and an English label.

Every enumeration a clerk sees (categories, product kinds, sponsor kinds, gift
statuses …) derives from :class:`Labelled` and gives its labels in one table,
so ``label(lang)`` works the same everywhere.

>>> class Colour(Labelled):
...     RED = "red"
...     @classmethod
...     def labels(cls):
...         return {"red": ("đỏ", "red")}
>>> Colour.RED.label(), Colour.RED.label("en"), Colour.RED.label_vi
('đỏ', 'red', 'đỏ')
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Literal

__all__ = ["Labelled", "Lang"]

Lang = Literal["vi", "en"]
"""The languages ansinh writes: Vietnamese (the default) and English."""


class Labelled(enum.StrEnum):
    """A :class:`enum.StrEnum` whose members have a Vietnamese and an English label.

    Subclasses implement :meth:`labels`: a mapping of each member's value to
    ``(label_vi, label_en)``.
    """

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each member's value → ``(Vietnamese label, English label)``."""
        raise NotImplementedError

    @property
    def label_vi(self) -> str:
        """The Vietnamese label."""
        return self.labels()[self.value][0]

    @property
    def label_en(self) -> str:
        """The English label."""
        return self.labels()[self.value][1]

    def label(self, lang: str = "vi") -> str:
        """The label in ``"vi"`` (the default) or ``"en"``."""
        return self.label_en if lang == "en" else self.label_vi
