"""Downloads that are in the audit log: who exported which client (or the portfolio), when.

``logged(data, file_name)`` wraps a download button's data so the log line is written when the file is
actually built for the browser (Streamlit calls the data when the button is clicked), not on every run.
The identity and the client are taken when the button is drawn: the click is served outside the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ccl.store import StoreError
from ui import auth, state
from ui.cache import get_store
from ui.session import store_state

Data = bytes | str | Callable[[], bytes | str]
log = logging.getLogger(__name__)


def logged(data: Data, file_name: str, *, client: bool = True) -> Callable[[], bytes | str]:
    """The data, recorded as an export in the audit log when it is downloaded.

    ``client``: the download is the current company's (its saved client is named in the log line).
    """
    acc = auth.access()
    who = acc.label or store_state.saved_by()
    lk = store_state.link() if client else None
    client_id = lk.client_id if lk is not None else 0
    workspace = acc.home
    what = f"{state.profile().company.name or ''} · {file_name}" if client else file_name

    def build() -> bytes | str:
        try:
            get_store().log_event("export", who, workspace, client_id, what)
        except StoreError as err:  # the file is the user's own answers: it still downloads
            log.warning("export not logged: %s", err)
        return data() if callable(data) else data

    return build
