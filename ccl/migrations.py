"""Profile schema migrations: one ordered chain that brings a raw profile dict from any older version
to the current one.

Every reader of profiles (JSON files, uploads, saved assessments, Excel workbooks) goes through
``ccl.profile.profile_from_dict``, which calls :func:`migrate` before validation, so a file written by
an older release keeps loading. To change the schema: bump ``SCHEMA_VERSION`` in ``ccl.profile`` and
add one step here, ``STEPS[n]`` upgrading a version-n dict to version n+1. Steps work on plain dicts
(never on the models, which only know the newest shape) and never drop an answer silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Step = Callable[[dict[str, Any]], dict[str, Any]]


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the ``licence`` section and two company questions (numbers, other services).

    All new answers are optional and start unanswered, so the step only stamps the new version.
    """
    return {**data, "schema_version": 2}


def v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds the action plan (``plan``) and the evidence behind answers (``evidence``).

    Both start empty: the plan is generated from the gaps the first time the profile is evaluated
    (``ccl.plan.reconcile``), and no answer had documents attached before.
    """
    return {**data, "schema_version": 3}


def v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 adds ``document_details``: what the application documents need that no scored question
    asks (platform vendor and model, server location, service hours, security officer ...).

    The section starts empty (every detail unanswered); the step only stamps the version and leaves every
    other section as it was, including any optional answers added to a section without a version bump.
    """
    return {**data, "schema_version": 4}


STEPS: dict[int, Step] = {
    1: v1_to_v2,
    2: v2_to_v3,
    3: v3_to_v4,
}


def migrate(data: dict[str, Any], target: int) -> dict[str, Any]:
    """``data`` upgraded step by step to ``target``; versions that are not older integers pass through."""
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        return data
    while version < target and version in STEPS:
        data = STEPS[version](data)
        version = data["schema_version"]
    return data
