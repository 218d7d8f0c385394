"""The JSON Schema of report.json as the package ships it, and a check against it that names
the first few problems."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema


@cache
def schema() -> dict[str, Any]:
    text = resources.files("reporter").joinpath("schema/report.schema.json").read_text("utf-8")
    return json.loads(text)


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())


def validate(document: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(document), key=lambda e: list(e.path))
    if errors:
        raise AssertionError("; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
