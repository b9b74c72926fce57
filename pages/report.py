"""报告 Report: download the report and questionnaires, preview the workbook, import answers (diff first)."""

import streamlit as st

from ccl import clock
from ccl.excel.report import SHEETS, sheet_names
from ui.blocks import headline_line, page_header
from ui.context import page_context
from ui.escape import md_literal
from ui.exports import logged
from ui.tables import preview_columns, static_table
from ui.views import report as rp

ctx = page_context()
page_header(ctx, "report_page.title")
headline_line(ctx)  # the same verdict, licence date and next deadline as the Overview
st.caption(ctx.tr("report_page.intro"))

st.subheader(ctx.tr("report_page.download_title"))
cards = rp.downloads(ctx, clock.today())
# two cards a row: four in a row leave a 1024 px screen ~120 px a card, too narrow for the button's label
columns = [column for _ in range(0, len(cards), 2) for column in st.columns(2)]
for column, dl in zip(columns, cards, strict=False):
    with column.container(border=True, height="stretch", vertical_alignment="distribute"):
        st.markdown(f"**{ctx.tr(f'report_page.{dl.key}_label')}**")
        if dl.data is None:  # cannot be made on this server: the description says why
            st.warning(dl.description, icon=":material/warning:")
            continue
        st.caption(dl.description)
        st.caption(f":material/attach_file: {md_literal(dl.file_name)}")
        # on_click="ignore": a download needs no rerun; workbooks are built (cached) when clicked
        st.download_button(
            ctx.tr("report_page.download"),
            logged(dl.data, dl.file_name),
            file_name=dl.file_name,
            mime=dl.mime,
            icon=dl.icon,
            key=f"rp:dl:{dl.key}",
            on_click="ignore",
            width="stretch",
            type="primary" if dl.key == "report" else "secondary",
        )

# one sheet at a time: every tab of st.tabs would be built on every run
st.subheader(ctx.tr("report_page.preview_title"))
names = sheet_names(ctx.lang)
frames = rp.preview(ctx)
sheet_list = ctx.tr("app.semicolon").join(names.values())
st.caption(ctx.tr("report_page.preview_note", n=len(SHEETS), sheets=sheet_list))
sheet = st.segmented_control(
    ctx.tr("report_page.sheet"),
    SHEETS,
    format_func=names.__getitem__,
    default="summary",
    required=True,
    key="rp:sheet",
    persist_state="session",
)
frame = frames[names[sheet or "summary"]]
if frame.empty:
    st.info(ctx.tr("report_page.empty_sheet"), icon=":material/info:")
else:
    static_table(frame, preview_columns(frame), ctx.lang, height=640, css_class="st-report-preview")
    st.caption(ctx.tr_n("report_page.rows", len(frame)))

# nothing changes on upload: the file is read, its diff shown, and applied only on confirmation
st.subheader(ctx.tr("report_page.import_title"))
st.caption(ctx.tr("report_page.import_note"))
rp.show_flash(ctx)
st.file_uploader(
    ctx.tr("report_page.uploader", mb=rp.upload_limit_mb()),
    key=rp.uploader_key(),
    max_upload_size=rp.uploader_limit_mb(),
    on_change=rp.on_upload_change,
    help=ctx.tr("report_page.uploader_help"),
)
rp.show_pending(ctx)
