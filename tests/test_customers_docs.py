"""docs/customers.md is what the code does: the worked examples, every config key, every command."""
import re

import pandas as pd

from lib import ROOT
from lib.customers.abtest import difference_interval, users_needed, z_test
from lib.customers.config import CustomersConfig
from lib.customers.ltv import fit_decay, payback_months, projected_cumulative, value_per_active_month
from lib.commands.customers import COMMANDS

DOC = (ROOT / "docs" / "customers.md").read_text(encoding="utf-8")


def test_ltv_worked_example_matches_the_code():
    pooled = pd.DataFrame({"month": [0, 1, 2, 3], "customers": [200, 200, 180, 150], "active": [200, 60, 48, 36],
                           "revenue": [60_000, 9_000, 7_200, 5_400]})
    pooled["retention"] = pooled["active"] / pooled["customers"]
    pooled["revenue_per_customer"] = pooled["revenue"] / pooled["customers"]
    fit = fit_decay(pooled, min_customers=20)
    v = value_per_active_month(pooled)
    cumulative = projected_cumulative(300.0, v, fit, 24)
    assert f"r<sub>1</sub> = e<sup>−1.2058</sup> = {fit.first:.4f}" in DOC
    assert f"q = e<sup>−0.1119</sup> = {fit.ratio:.4f}" in DOC
    assert f"= **¥{v:.0f}**" in DOC
    assert f"**¥{cumulative[11]:,.2f}**" in DOC and f"**¥{cumulative[23]:,.2f}**" in DOC
    assert f"LTV/CAC = {cumulative[23]:.2f} ÷ 450 = **{cumulative[23] / 450:.2f}**" in DOC
    assert ", ".join(f"¥{c:,.2f}" for c in cumulative[:5]).replace("¥300.00", "¥300") in DOC
    assert f"payback takes **{payback_months(cumulative, 450):.0f} months**" in DOC


def test_z_test_example_matches_the_code():
    z, p = z_test(130, 1000, 100, 1000)
    low, high = difference_interval(130, 1000, 100, 1000, 0.05)
    assert f"**{z:.4f}**".replace("-", "−") in DOC and f"p = **{p:.4f}**" in DOC  # typographic minus
    assert f"**{low * 100:.2f}% … {high * 100:.2f}%**".replace("-", "−") in DOC
    assert f"**{users_needed(0.13, 0.10, 0.05, 0.8):,}**" in DOC


def config_keys(model, prefix=""):
    from pydantic import BaseModel

    keys = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and name != "tiers":
            keys += config_keys(annotation, f"{prefix}{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


def test_every_config_key_and_command_is_documented():
    documented = set(re.findall(r"^\| `([a-z_.<>]+)` \|", DOC, re.M))
    expected = {k for k in config_keys(CustomersConfig) if k != "rfm.tiers"}
    assert expected - documented == set()
    assert {"rfm.tiers.<tier>.label", "rfm.tiers.<tier>.care"} <= documented
    for command in COMMANDS:
        assert f"python -m lib.cli {command}" in DOC
