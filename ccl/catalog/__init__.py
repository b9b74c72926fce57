"""The rules catalog: dimensions, sources, questions, rules, materials and review stages, as TOML data.

Everything the product shows as a rule, threshold or duration is loaded from ``data/catalog/`` and
validated once: ``objects`` (each object and the condition language), ``files`` (one model per file),
``load`` (the assembled ``Catalog``, the cross-file checks and ``load_catalog``).
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CATALOG_DIR = DATA_DIR / "catalog"
