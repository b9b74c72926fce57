"""A bare Streamlit page for the benchmark: the same number of widgets as the measured app page.

No engine, no state handling, no navigation: what Streamlit itself costs for a page of N widgets
(set BENCH_WIDGETS; bench_app.py passes the count it found on the app's questionnaire page). The
first element is a metric that changes with the answers, like the app's overall score.
"""

import os

import streamlit as st

N = int(os.environ.get("BENCH_WIDGETS", "25"))
KINDS = ("segmented", "select", "number", "checkbox")

st.set_page_config(page_title="bare", layout="wide")
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
