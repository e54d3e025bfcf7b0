"""Every config file the app reads, for `python -m lib.cli check` and the home page.

Each entry loads and validates one file and raises lib.issues.ConfigError with every
problem it found. A new config file is added here once.
"""
from lib.appraisal.config import load_appraisal_config
from lib.auth import check_auth
from lib.cockpit.config import load_cockpit_config
from lib.channels.config import load_channels_config
from lib.config import load_sources
from lib.customers.config import load_customers_config
from lib.metrics.spec import load_catalog
from lib.okr.config import load_okr_config
from lib.weekly.config import load_weekly_config

CONFIG_LOADERS = (
    load_sources,
    load_catalog,
    load_cockpit_config,
    load_customers_config,
    load_channels_config,
    load_appraisal_config,
    load_okr_config,
    check_auth,
    load_weekly_config,
)
