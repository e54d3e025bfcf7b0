"""UI strings by area, one module per page family, merged by lib.i18n.

Each module defines STRINGS = {key: {"en": ..., "zh": ...}} with keys prefixed by its
area (cockpit., appraisal., ...). A test checks that keys are unique across modules and
that every key has both languages.
"""
import importlib
import pkgutil


def collect() -> dict[str, dict[str, dict[str, str]]]:
    """{module name: its STRINGS}, for every module in this package."""
    out = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        out[info.name] = getattr(module, "STRINGS", {})
    return out
