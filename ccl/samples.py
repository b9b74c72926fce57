"""The sample companies shipped in ``data/samples`` for demos and tests."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ccl.catalog import DATA_DIR, Text
from ccl.profile import Profile, load_profile

SAMPLES_DIR = DATA_DIR / "samples"


@dataclass(frozen=True, slots=True)
class Sample:
    key: str
    path: Path
    label: Text

    def load(self) -> Profile:
        return load_profile(self.path)


def list_samples(directory: Path = SAMPLES_DIR) -> list[Sample]:
    """The samples in index order."""
    index = tomllib.loads((directory / "index.toml").read_text(encoding="utf-8"))
    return [
        Sample(key=Path(s["file"]).stem, path=directory / s["file"], label=Text(**s["label"])) for s in index["samples"]
    ]
