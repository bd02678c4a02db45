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
from typing import Any, Literal

from ansinh.exceptions import InvalidValueError

__all__ = ["Code", "Labelled", "Lang"]

Lang = Literal["vi", "en"]
"""The languages ansinh writes: Vietnamese (the default) and English."""


class _CodeType(enum.EnumType):
    """Looks a code up without Enum's own error path, which calls ``repr`` on any value."""

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not cls._member_map_:  # the functional API, or defining a subclass
            return super().__call__(value, *args, **kwargs)
        if isinstance(value, str):  # members are str too
            member = cls._value2member_map_.get(value)
            if member is not None:
                return member
        return getattr(cls, "_missing_")(value)  # noqa: B009 - the classmethod of the enum being called


class Code(enum.StrEnum, metaclass=_CodeType):
    """A :class:`enum.StrEnum` of stable codes; an unknown code is an :class:`~ansinh.exceptions.InvalidValueError`.

    >>> class Colour(Code):
    ...     RED = "red"
    >>> Colour("blue")
    Traceback (most recent call last):
    ...
    ansinh.exceptions.InvalidValueError: Colour='blue' is not allowed: one of red
    """

    @classmethod
    def _missing_(cls, value: Any) -> Any:
        raise InvalidValueError(cls.__name__, value, "one of " + ", ".join(m.value for m in cls))


class Labelled(Code):
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
