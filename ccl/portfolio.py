"""The consultant's portfolio as a table: every saved client with its latest summary (no charts here).

Pure functions of the store's summaries (``ccl.store.ClientSummary``): nothing is re-scored, so 1,000
clients render in a fraction of a second. Charts are drawn on the UI side (``ui.charts.portfolio``),
the Excel export is ``ccl.excel.portfolio``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from ccl import clock
from ccl.catalog.load import Catalog
from ccl.i18n import Lang, fmt_date, option_label, status_label, t
from ccl.plan import spec_by_id
from ccl.store.models import ClientSummary, SnapshotSummary, local_time

STATUS_ORDER = ("blocked", "not_ready", "nearly_ready", "ready")
# the headline's verdicts (``ccl.headline``): an applicant's status, then a licence holder's
VERDICT_ORDER = (*STATUS_ORDER, "expired", "lapsed", "licensed")
DUE_SOON_DAYS = 7  # "due this week": from today to six days ahead
# the plan's columns: counts (NULL for a snapshot saved before plans were kept) and the next due date
PLAN_COUNTS = ("plan_open", "plan_overdue", "plan_due_soon", "plan_total", "plan_done")


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


_BASE = (
    "company",
    "province",
    "status",
    "overall",
    "blockers",
    "licence_date",
    "next_deadline",
    "last_saved",
    "version",
    "plan_open",
    "plan_overdue",
    "plan_due_soon",
    "plan_next_due",
    "next_deadline_due",  # the deadline's date alone: a narrow column that a 1024 px screen shows whole
)
_EXTENDED_HEAD = ("company", "province", "scope", "status", "overall")
_EXTENDED_TAIL = (
    "completion",
    "blockers",
    "gaps",
    "licence_date",
    "licence_estimate",
    "next_deadline",
    "next_deadline_due",
    "plan_total",
    "plan_done",
    "plan_open",
    "plan_overdue",
    "plan_due_soon",
    "plan_next_due",
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
    return column_header(key, lang)


def column_header(key: str, lang: Lang) -> str:
    """A column's heading (the plan's columns have their own strings)."""
    return t(f"store_plan.col.{key}" if key.startswith("plan_") else f"portfolio.col.{key}", lang)


def _values(c: ClientSummary, catalog: Catalog, lang: Lang, today: date) -> dict[str, Any]:
    s = c.latest.summary
    return {
        "company": client_label(c, lang),
        "province": _province(catalog, s.province, lang),
        "scope": option_label(catalog, "company.scope", s.scope, lang) if s.scope else "",
        "status": status_label(s.shown_verdict, lang),
        "overall": round(s.overall, 1),
        **{f"dim.{d.id}": round(s.dimensions.get(d.id, 0.0), 1) for d in catalog.dimensions},
        "completion": round(s.completion, 1),
        "blockers": s.blockers,
        "gaps": s.gaps,
        "licence_date": s.licence_date,
        "licence_estimate": s.licence_estimate,
        "next_deadline": next_deadline_text(s, catalog, lang, today),
        "next_deadline_due": s.next_deadline_due,
        "plan_total": s.plan_total,
        "plan_done": s.plan_done,
        "plan_open": s.plan_open,
        "plan_overdue": s.plan_overdue(today),
        "plan_due_soon": s.plan_due_soon(today, DUE_SOON_DAYS),
        "plan_next_due": s.plan_next_due(today),
        "version": c.latest.version,
        "last_saved": local_time(c.latest.saved_at).replace(microsecond=0),
        "saved_by": c.latest.saved_by,
        "catalog_version": s.catalog_version,
    }


def next_deadline_text(s: SnapshotSummary, catalog: Catalog, lang: Lang, today: date) -> str:
    """The headline's next deadline as saved: what, when, and its status today ("" when none)."""
    if s.next_deadline_due is None or s.next_deadline_key is None:
        return ""
    key = s.next_deadline_key
    if key.startswith("action:"):
        spec = spec_by_id(catalog).get(key[7:])
        what = spec.title(lang) if spec else t("plan.custom", lang)
    else:
        what = t(f"obligation.key.{key}", lang)
    status = s.deadline_status(today, catalog.licence)
    return f"{what} · {fmt_date(s.next_deadline_due, lang)} · {t(f'obligation.status.{status}', lang)}"


def portfolio_table(
    summaries: Sequence[ClientSummary],
    catalog: Catalog,
    lang: Lang,
    extended: bool = False,
    today: date | None = None,
) -> pd.DataFrame:
    """One row per client (index: client id): company, province, status, overall, blockers,
    expected licence date, the next deadline, last saved (display time zone), version, then the plan:
    actions still to do, overdue and due within the week as of ``today`` (default: today), the next due
    date, and last the next deadline's date;
    ``extended`` adds the rest. A client saved before plans were kept has no plan values (<NA>)."""
    today = today or clock.today()
    keys = _keys(catalog, extended)
    rows = [_values(c, catalog, lang, today) for c in summaries]
    frame = pd.DataFrame(
        [[row[k] for k in keys] for row in rows],
        columns=[_header(k, catalog, lang) for k in keys],
        index=pd.Index([c.id for c in summaries], name=t("portfolio.col.id", lang), dtype="int64"),
    )
    for key in PLAN_COUNTS:
        if key in keys:
            header = _header(key, catalog, lang)
            frame[header] = frame[header].astype("Int64")  # whole numbers, with gaps for untracked plans
    return frame


def attention_order(summaries: Sequence[ClientSummary], today: date | None = None) -> list[ClientSummary]:
    """The clients who need a call first: the nearest next deadline of the headline (a passed one first,
    a holder's renewal as much as an applicant's overdue action), then most overdue actions, then most
    due this week; clients without a recorded plan or deadline last (otherwise the given order is kept)."""
    today = today or clock.today()

    def key(c: ClientSummary) -> tuple[Any, ...]:
        s = c.latest.summary
        due = min((d for d in (s.next_deadline_due, *(s.plan_due_dates or ())) if d is not None), default=None)
        if due is None and not s.plan_tracked:
            return (1, date.max, 0, 0)
        return (
            0,
            due or date.max,
            -(s.plan_overdue(today) or 0),
            -(s.plan_due_soon(today, DUE_SOON_DAYS) or 0),
        )

    return sorted(summaries, key=key)
