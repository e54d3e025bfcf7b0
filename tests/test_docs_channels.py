"""docs/channels.md is tested: config keys, models and the Markov worked example."""
from fractions import Fraction

import numpy as np

from lib import ROOT
from lib.attribution import MODELS, ChannelCodes, markov_shares, markov_transitions, named_transitions
from lib.channels.config import ChannelsConfig, load_channels_config


def test_channels_doc_matches_the_code():
    """docs/channels.md: every config key and model is documented, and its Markov example is
    what the code computes."""
    doc = (ROOT / "docs" / "channels.md").read_text(encoding="utf-8")
    cfg = load_channels_config()
    for section, model in ChannelsConfig.model_fields.items():
        for key in model.annotation.model_fields:
            assert f"`{section}.{key}`" in doc, f"{section}.{key} is not documented"
    assert f"`attribution.half_life_days` | {cfg.attribution.half_life_days:g} |" in doc
    for model in MODELS:
        assert f"`{model}`" in doc
    # A > B converted, A not converted, B converted.
    codes = ChannelCodes()
    counts = markov_transitions(np.array([1, 1, 2, 3]), codes.of(["A", "B", "A", "B"]),
                                np.array([True, True, False, True]))
    shares = markov_shares(named_transitions(counts, codes.names))
    a, b = (Fraction(shares[c]).limit_denominator(10) for c in "AB")
    assert f"A = 0.5 / 1.5 = **{a}**, B = 1 / 1.5 = **{b}**" in doc
    assert f"A is credited {2 * a} of a conversion and ¥{int(90 * a)}, B {2 * b} and ¥{int(90 * b)}" in doc
