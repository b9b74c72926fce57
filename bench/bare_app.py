"""A bare Streamlit page for the benchmarks: the same number of widgets as the measured app page.

No engine, no state handling: what Streamlit itself costs for a page of N widgets (set BENCH_WIDGETS;
the benchmarks pass the count they found on the app's questionnaire page). The first element is a
metric that changes with the answers, like the app's overall score. With BENCH_PAGES=n the same page
is offered n times under ``st.navigation`` (bench_load.py switches between them, as between the
app's pages); without it there is no navigation (bench_app.py). With BENCH_GRID=r the last page also holds
an editable grid of r rows and the Action plan's 11 columns (text, a date and a status to pick), as the
app's plan page does (``bench_load.py --bare-grid``): Streamlit's own cost for such a grid is pandas, numpy
and pyarrow.
"""

import os

import streamlit as st

N = int(os.environ.get("BENCH_WIDGETS", "25"))
PAGES = int(os.environ.get("BENCH_PAGES", "0"))
GRID = int(os.environ.get("BENCH_GRID", "0"))
KINDS = ("segmented", "select", "number", "checkbox")

st.set_page_config(page_title="bare", layout="wide")


def grid() -> None:
    import datetime

    import pandas as pd

    texts = {f"text {j}": [f"Action {i}, note {j}" for i in range(GRID)] for j in range(9)}
    frame = pd.DataFrame({**texts, "due": [datetime.date(2027, 1, 1)] * GRID, "status": ["open"] * GRID})
    cc = st.column_config
    st.data_editor(
        frame,
        key="grid",
        hide_index=True,
        num_rows="fixed",
        column_config={"due": cc.DateColumn("due"), "status": cc.SelectboxColumn("status", options=["open", "done"])},
    )


def page() -> None:
    st.title("Bare page")
    yes = sum(st.session_state.get(f"w{i}") == "yes" for i in range(N))
    st.metric("score", f"{yes} / {N}")
    columns = st.columns(2)
    for i in range(N):
        kind = KINDS[i % len(KINDS)]
        with columns[i % 2]:
            if kind == "segmented":
                st.segmented_control(f"Question {i}", ["yes", "no"], key=f"w{i}")
            elif kind == "select":
                st.selectbox(f"Question {i}", ["a", "b", "c"], index=None, key=f"w{i}")
            elif kind == "number":
                st.number_input(f"Question {i}", value=None, key=f"w{i}")
            else:
                st.checkbox(f"Question {i}", key=f"w{i}")


def last_page() -> None:
    page()
    if GRID:
        grid()


if PAGES:
    pages = [page] * (PAGES - 1) + [last_page]
    st.navigation(
        [st.Page(run, title=f"Page {p}", url_path=f"page-{p}", default=p == 0) for p, run in enumerate(pages)]
    ).run()
else:
    page()
