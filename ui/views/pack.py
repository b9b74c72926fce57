"""The application pack download on the Materials page: the same zip as ``python -m ccl pack``."""

from __future__ import annotations

import streamlit as st

from ccl import clock
from ui.context import PageContext


def pack_download(ctx: PageContext) -> None:
    """A button that builds the pack when it is clicked (drafts of the documents and the checklist)."""
    from ccl.pack import build_pack, pack_filename  # python-docx is loaded only for this page

    ev, catalog, lang = ctx.ev, ctx.catalog, ctx.lang

    def data() -> bytes:
        return build_pack(ev, catalog, lang, clock.now()).data

    st.download_button(
        ctx.tr("pack.download"),
        data=data,
        file_name=pack_filename(ev, lang),
        mime="application/zip",
        icon=":material/folder_zip:",
        help=ctx.tr("pack.download_help"),
        on_click="ignore",
        key="materials:pack",
    )
    st.caption(ctx.tr("pack.caption"))
