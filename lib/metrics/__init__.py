"""The metrics layer: YAML metrics compiled to SQL that runs where the data lives.

    catalog = load_catalog()
    result = run(store, catalog, Request(("cac",), by=("channel",), grain="week"))
"""
from lib.metrics.compiler import CompiledQuery, Request, RequestError  # noqa: F401
from lib.metrics.engine import MissingTabError, Result, compare, compile_request, run, status  # noqa: F401
from lib.metrics.explain import Explanation, explain  # noqa: F401
from lib.metrics.spec import Catalog, load_catalog  # noqa: F401
from lib.metrics.targets import benchmark_for, target_for  # noqa: F401
