"""The consultant's portfolio as a table: every saved client with its latest summary (no charts here).

Pure functions of the store's summaries (``ccl.store.ClientSummary``): nothing is re-scored, so 1,000
clients render in a fraction of a second. Charts are drawn on the UI side (``ui.charts.portfolio``),
the Excel export is ``ccl.excel.portfolio``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ccl.catalog import Catalog
from ccl.i18n import Lang, option_label, status_label, t
from ccl.store.models import ClientSummary, local_time

STATUS_ORDER = ("blocked", "not_ready", "nearly_ready", "ready")


def client_label(client: ClientSummary, lang: Lang) -> str:
    """The client's name, or "Unnamed client #id"."""
    return client.name or t("store.unnamed", lang, id=client.id)


def unique_labels(clients: Sequence[ClientSummary], lang: Lang) -> list[str]:
    # A categorical axis merges equal labels, so two clients with one name get their id appended.
    labels = [client_label(c, lang) for c in clients]
    seen = Counter(labels)
    return [f"{label} #{c.id}" if seen[label] > 1 else label for label, c in zip(labels, clients, strict=True)]


def _province(catalog: Catalog, province: str | None, lang: Lang) -> str:
    prov = catalog.province_by_id.get(province or "")
    return prov.name(lang) if prov else ""


# --- table ----------------------------------------------------------------------------------------


_BASE = ("company", "province", "status", "overall", "blockers", "licence_date", "last_saved", "version")
_EXTENDED_HEAD = ("company", "province", "scope", "status", "overall")
_EXTENDED_TAIL = (
    "completion",
    "blockers",
    "gaps",
    "licence_date",
    "licence_estimate",
    "version",
    "last_saved",
    "saved_by",
    "catalog_version",
)


def _keys(catalog: Catalog, extended: bool) -> list[str]:
    if not extended:
        return list(_BASE)
    return [*_EXTENDED_HEAD, *(f"dim.{d.id}" for d in catalog.dimensions), *_EXTENDED_TAIL]


def _header(key: str, catalog: Catalog, lang: Lang) -> str:
    if key.startswith("dim."):
        return catalog.dimension_by_id[key[4:]].name(lang)
    return t(f"portfolio.col.{key}", lang)


def _values(c: ClientSummary, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    s = c.latest.summary
    return {
        "company": client_label(c, lang),
        "province": _province(catalog, s.province, lang),
        "scope": option_label(catalog, "company.scope", s.scope, lang) if s.scope else "",
        "status": status_label(s.status, lang),
        "overall": round(s.overall, 1),
        **{f"dim.{d.id}": round(s.dimensions.get(d.id, 0.0), 1) for d in catalog.dimensions},
        "completion": round(s.completion, 1),
        "blockers": s.blockers,
        "gaps": s.gaps,
        "licence_date": s.licence_date,
        "licence_estimate": s.licence_estimate,
        "version": c.latest.version,
        "last_saved": local_time(c.latest.saved_at).replace(microsecond=0),
        "saved_by": c.latest.saved_by,
        "catalog_version": s.catalog_version,
    }


def portfolio_table(
    summaries: Sequence[ClientSummary], catalog: Catalog, lang: Lang, extended: bool = False
) -> pd.DataFrame:
    """One row per client (index: client id): company, province, status, overall, blockers,
    expected licence date, last saved (display time zone), version; ``extended`` adds the rest."""
    keys = _keys(catalog, extended)
    rows = [_values(c, catalog, lang) for c in summaries]
    return pd.DataFrame(
        [[row[k] for k in keys] for row in rows],
        columns=[_header(k, catalog, lang) for k in keys],
        index=pd.Index([c.id for c in summaries], name=t("portfolio.col.id", lang), dtype="int64"),
    )
