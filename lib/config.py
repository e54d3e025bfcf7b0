"""Config files as pydantic models, with errors a person can act on.

Every YAML file in config/ is read through `load_yaml_model`: all problems are collected
(file, key path, what is wrong, the closest valid name) and raised together as one
ConfigError, so a team fixing its config sees everything at once.
"""
from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Annotated, Literal, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lib import ROOT
from lib.issues import ConfigError, Issue
from lib.schema import TABS

CONFIG_DIR = ROOT / "config"
M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------
# sources.yaml


class CsvSourceConfig(Strict):
    kind: Literal["csv"]
    path: Path = Field(description="folder holding <tab>.csv files")


class XlsxSourceConfig(Strict):
    kind: Literal["xlsx"]
    path: Path = Field(description=".xlsx workbook with one sheet per tab")


class GsheetSourceConfig(Strict):
    kind: Literal["gsheet"]
    spreadsheet_id: str = Field(min_length=10, description="the id in the sheet's URL")
    timeout_seconds: float = Field(20, gt=0)
    max_attempts: int = Field(4, ge=1, le=10)
    total_seconds: float = Field(60, gt=0)
    backoff_seconds: float = Field(1.0, ge=0, description="first wait before a retry; doubles each time")
    api_base: str = Field("https://sheets.googleapis.com", description="only changed for tests")


class SqlSourceConfig(Strict):
    kind: Literal["sql"]
    url: str = Field(description="SQLAlchemy URL; put passwords in an environment variable")
    db_schema: str | None = Field(None, description="schema holding the tables")
    query_timeout_seconds: float = Field(30, gt=0)
    tables: dict[str, str] = Field(default_factory=dict, description="tab -> table, when names differ")

    @field_validator("url")
    @classmethod
    def _looks_like_url(cls, url: str) -> str:
        if "://" not in url:
            raise ValueError(f"{url!r} is not a SQLAlchemy URL such as postgresql+psycopg://user@host/db")
        return url

    @field_validator("tables")
    @classmethod
    def _known_tabs(cls, tables: dict[str, str]) -> dict[str, str]:
        for tab in tables:
            if tab not in TABS:
                raise ValueError(f"unknown tab {tab!r}{_did_you_mean(tab, TABS)}")
        return tables


SourceConfig = Annotated[
    Union[CsvSourceConfig, XlsxSourceConfig, GsheetSourceConfig, SqlSourceConfig],
    Field(discriminator="kind"),
]


class SourcesConfig(Strict):
    refresh_minutes: float = Field(5, gt=0, description="how long loaded data is reused")
    default: str = Field(description="source for every tab not listed under tabs")
    sources: dict[str, SourceConfig]
    tabs: dict[str, str] = Field(default_factory=dict, description="tab -> source name")

    def source_of(self, tab: str) -> str:
        return self.tabs.get(tab, self.default)


def _check_source_names(data: dict, file: str) -> list[Issue]:
    """default and tabs must name sources that exist; run on the raw YAML so these problems
    are listed together with any others."""
    if not isinstance(data, dict):
        return []
    sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
    issues = []
    default = data.get("default")
    if isinstance(default, str) and default not in sources:
        issues.append(_issue(file, "default", f"no source named {default!r}", default, sources))
    tabs = data.get("tabs") if isinstance(data.get("tabs"), dict) else {}
    for tab, source in tabs.items():
        if tab not in TABS:
            issues.append(_issue(file, f"tabs.{tab}", f"unknown tab {tab!r}", tab, TABS))
        if source not in sources:
            issues.append(_issue(file, f"tabs.{tab}", f"no source named {source!r}", str(source), sources))
    return issues


def load_sources(path: Path | None = None) -> SourcesConfig:
    path = path or CONFIG_DIR / "sources.yaml"
    return load_yaml_model(path, SourcesConfig, extra_checks=_check_source_names)


def sources_for_data(data: str) -> SourcesConfig:
    """The `--data PATH` override: one source for every tab."""
    if "://" in data:
        source: dict = {"kind": "sql", "url": data}
    elif data.lower().endswith(".xlsx"):
        source = {"kind": "xlsx", "path": data}
    else:
        source = {"kind": "csv", "path": data}
    try:
        return SourcesConfig(default="data", sources={"data": source})
    except ValidationError as exc:
        raise ConfigError(_pydantic_issues(exc, "--data", {}, SourcesConfig)) from None


def resolve_path(path: Path) -> Path:
    """Paths in config are relative to the project folder, wherever the app is started."""
    return path if path.is_absolute() else ROOT / path


# ---------------------------------------------------------------------------------------
# loading any config file


_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def load_yaml_model(path: Path, model: type[M], extra_checks=None) -> M:
    """Read, expand ${ENV}, validate; raise ConfigError with every problem found.

    `extra_checks(data, file) -> list[Issue]` adds rules pydantic cannot express
    (references between keys); they run even when the model itself is invalid.
    """
    file = display_path(path)
    if not path.is_file():
        raise ConfigError([Issue("error", "file not found", source=file, expected="the file to exist")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise ConfigError([Issue("error", f"not valid YAML at {where}: {getattr(exc, 'problem', exc)}",
                                 source=file)]) from None
    env_issues: list[Issue] = []
    data = _expand_env(data, file, "", env_issues)
    issues = env_issues + (list(extra_checks(data, file)) if extra_checks else [])
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        unset = {i.key for i in env_issues}  # an unset variable is reported once, not twice
        issues += [i for i in _pydantic_issues(exc, file, data, model) if i.key not in unset]
        result = None
    if issues:
        raise ConfigError(issues)
    return result


def _expand_env(node, file: str, key: str, issues: list[Issue]):
    """`${NAME}` in a string is replaced by that environment variable (for URLs with passwords)."""
    if isinstance(node, dict):
        return {k: _expand_env(v, file, f"{key}.{k}" if key else str(k), issues) for k, v in node.items()}
    if isinstance(node, list):
        return [_expand_env(v, file, f"{key}[{i}]", issues) for i, v in enumerate(node)]
    if isinstance(node, str):
        def sub(match: re.Match) -> str:
            name = match.group(1)
            if name not in os.environ:
                issues.append(Issue("error", f"environment variable {name} is not set", source=file,
                                    key=key, hint=f"set {name} before starting (export {name}=...)"))
                return ""
            return os.environ[name]
        return _ENV.sub(sub, node)
    return node


def _pydantic_issues(exc: ValidationError, file: str, data, model: type[BaseModel]) -> list[Issue]:
    issues = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        key = ".".join(loc)
        message = err["msg"].removeprefix("Value error, ")
        hint = None
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, err["loc"][:-1], data)
            message = f"unknown key {loc[-1]!r}"
            hint = _did_you_mean(loc[-1], allowed).removeprefix("; ") or None
            if allowed and not hint:
                hint = "allowed keys: " + ", ".join(sorted(allowed))
        elif err["type"] == "union_tag_invalid":
            tag = err.get("input", {}).get("kind") if isinstance(err.get("input"), dict) else None
            kinds = ["csv", "xlsx", "gsheet", "sql"]
            message = f"kind {tag!r} is not one of {', '.join(kinds)}{_did_you_mean(str(tag), kinds)}"
            key = key + ".kind"
        elif err["type"] == "missing":
            message = "required key is missing"
        # Pydantic adds the union member name to the path (sources.x.csv.path): drop it.
        key = re.sub(r"\.(csv|xlsx|gsheet|sql)(?=\.|$)", "", key) if "sources." in key else key
        issues.append(Issue("error", message, source=file, key=key, hint=hint))
    return issues


def _allowed_keys(model: type[BaseModel], loc: tuple, data) -> list[str]:
    """The valid keys at a location, for 'did you mean' on a mistyped key.

    Walks the model's annotations along the error's path: into nested models, through
    dict values and list items, and into the member of a tagged union that the node's
    `kind` names.
    """
    ann, node = model, data
    for part in loc:
        ann = _unwrap(ann, node)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            field = ann.model_fields.get(str(part))
            if field is None:  # pydantic put a union tag in the path
                continue
            ann, node = field.annotation, node.get(part) if isinstance(node, dict) else None
        elif get_origin(ann) in (dict, list):
            ann = get_args(ann)[-1]
            node = node.get(part) if isinstance(node, dict) else (
                node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
    ann = _unwrap(ann, node)
    return list(ann.model_fields) if isinstance(ann, type) and issubclass(ann, BaseModel) else []


def _unwrap(ann, node):
    """Annotated[Union[...], discriminator] -> the member matching the node's kind."""
    if get_origin(ann) is Annotated:
        ann = get_args(ann)[0]
    if get_origin(ann) is Union:
        kind = node.get("kind") if isinstance(node, dict) else None
        for member in get_args(ann):
            field = getattr(member, "model_fields", {}).get("kind")
            if field is not None and kind in get_args(field.annotation):
                return member
        return None
    return ann


def suggest(word, options) -> str | None:
    """'did you mean X?' for the closest of options, the hint of every config file's errors."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else None


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _issue(file: str, key: str, message: str, word: str, options) -> Issue:
    hint = _did_you_mean(word, options).removeprefix("; ") or "known: " + ", ".join(sorted(options))
    return Issue("error", message, source=file, key=key, hint=hint)


def display_path(path: Path) -> str:
    """A path as people should read it: relative to the project folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
