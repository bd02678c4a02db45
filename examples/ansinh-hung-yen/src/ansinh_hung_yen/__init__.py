"""An example ansinh province plugin for Hưng Yên (code 33)."""

from __future__ import annotations

from ansinh_hung_yen.plugin import COMMUNE_RULE, Enterprise, HungYenWorkplaceDrive

__all__ = ["COMMUNE_RULE", "Enterprise", "HungYenWorkplaceDrive"]
