"""Where the project is, for tests in any folder of the tree (``tests`` is on pytest's python path)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
