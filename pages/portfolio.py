"""客户组合 Portfolio: every saved client at a glance; filters, one-click open, export, delete, import."""

import streamlit as st

from ui.blocks import chart, page_header
from ui.charts.portfolio import portfolio_heatmap
from ui.context import page_context
from ui.views import admin
from ui.views import portfolio as pv

ctx = page_context()
page_header(ctx, "portfolio.title")

clients = pv.list_clients()
if not clients:
    st.info(ctx.tr("portfolio.empty"), icon=":material/groups:")
else:
    shown = pv.filters(ctx, clients)
    pv.clients_table(ctx, shown)
    chart(portfolio_heatmap(shown, ctx.catalog, ctx.lang), ctx.tr("portfolio_page.none_match"))
    st.caption(ctx.tr("portfolio_page.licence_note"))
    pv.export_button(ctx, clients)
    with st.expander(ctx.tr("portfolio_page.delete_title"), icon=":material/delete:"):
        pv.delete_section(ctx, clients)

st.subheader(ctx.tr("portfolio_page.import_title"))
pv.batch_import(ctx)

admin.sections(ctx)  # deleted clients and the audit log, for administrators
