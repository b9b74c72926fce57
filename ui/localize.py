"""Streamlit's own words, in the user's language: what its widgets write themselves and no option changes.

Streamlit (1.67) draws a few texts in English only: "Press Enter to apply" under a text box being typed
in, the date boxes' "yyyy/mm/dd" placeholders (its date field is fixed to the en-US locale), the upload
box's "Upload", "Drag and drop files here" and "20MB per file", the toolbar tooltips of tables and
charts ("Download as CSV", "Search", "Fullscreen": ``st.dataframe`` has no option to hide its toolbar;
plotly's own tools are switched off, ``ui.blocks.PLOTLY_CONFIG``), the keyboard's "Skip to main
content" and the date box's pop-up calendar (weekday letters "S M T W T F S", month names in its header
and month list). The upload
box also states the wrong size: it lets twice the app's limit through (``ccl.limits.UPLOADER_MB``) so
that a file a little over the limit gets the app's own message, while the size it states must be the
one the app accepts (``MAX_UPLOAD_MB``), in both languages.

Each text is replaced by CSS: the original shrunk to nothing and the translation drawn in its place
(``::after``), so the widget works as before; the toolbar tooltips are hidden (the icons remain). The
browser walk of every page in Chinese fails on Latin-only text outside user data, so a Streamlit upgrade
that renames a hook shows there.
"""

from __future__ import annotations

import functools
import json

import streamlit as st

from ccl.i18n import Lang, t
from ccl.limits import MAX_UPLOAD_MB

# Streamlit's calendar is fixed to en-US: its month button and the month list write these names
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _replace(selector: str, text: str, size: str, where: str = "after") -> str:
    """CSS drawing ``text`` instead of what ``selector`` holds (the element keeps its place and role);
    ``where="before"`` draws it ahead of the element's children (a button's text before its icon)."""
    content = json.dumps(text, ensure_ascii=False)  # a quoted CSS string (quotes and backslashes escaped)
    return (
        f"{selector} {{font-size: 0 !important;}}"
        f" {selector}::{where} {{content: {content}; font-size: {size}; line-height: normal;}}"
    )


@functools.cache  # the same two texts for every run of every session
def css(lang: Lang) -> str:
    """The overrides for ``lang``: the upload size in both languages, the rest in Chinese only."""
    rules = [
        _replace(
            "[data-testid=stFileUploaderDropzoneInstructions] span",
            t("streamlit.per_file", lang, mb=MAX_UPLOAD_MB),
            "14px",
        )
    ]
    if lang != "zh":
        return "\n".join(rules)
    instructions = "[data-testid=InputInstructions] > span:first-child"
    rules += [
        _replace(f"[data-testid=stTextInput] {instructions}", t("streamlit.enter_to_apply", lang), "12px"),
        _replace(f"[data-testid=stNumberInput] {instructions}", t("streamlit.enter_to_apply", lang), "12px"),
        _replace(f"[data-testid=stTextArea] {instructions}", t("streamlit.ctrl_enter_to_apply", lang), "12px"),
        # a form that does not submit on Enter has no such instruction: its first text is the counter
        "[data-testid=stForm] [data-testid=InputInstructions] > span:first-child"
        " {font-size: inherit !important;}"
        " [data-testid=stForm] [data-testid=InputInstructions] > span:first-child::after {content: none;}",
        _replace(
            "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p",
            t("streamlit.upload", lang),
            "14px",
        ),
    ]
    # A table's or chart's toolbar names its buttons (Download as CSV, Search, Fullscreen …) in an English
    # tooltip, drawn apart from the button: while a toolbar button is hovered no tooltip shows; the icons
    # (magnifier, download arrow, frame) say what the buttons do.
    rules.append("body:has([data-testid=stElementToolbarButton]:hover) [data-testid=stTooltipContent] {display: none;}")
    # while a file is dragged over the box: "Drag and drop a file here" (the only div right after its input)
    drop = "[data-testid=stFileUploaderDropzone] > input + div > span"
    rules.append(_replace(drop, t("streamlit.drop_here", lang), "14px"))
    # the keyboard's "skip to content" link, shown when tabbing into the page
    rules.append(_replace("[data-testid=stSkipToContent]", t("streamlit.skip_to_content", lang), "14px"))
    for part in ("year", "month", "day"):
        selector = f"[data-testid=stDateInput] [role=spinbutton][data-placeholder][data-type={part}]"
        rules.append(_replace(selector, t(f"streamlit.date_{part}", lang), "14px"))
    return "\n".join(rules)


def _calendar(lang: Lang) -> list[str]:
    """The date box's pop-up calendar, which follows the browser's language: in a Chinese browser it is
    Chinese already, in an English one it writes weekday letters and month names. Weekday headers are
    matched by position, the first column's weekday read from its first day's label ("Sunday, November 29,
    2026": Sunday first in the US, Monday in Britain); the month button by the calendar's label ("Choose
    date, December 2026"); the month list by its options' keys (1–12; the year list's keys are years)."""
    cal = "[data-testid=stDateInputCalendar]"
    days = t("streamlit.calendar_weekdays", lang).split(",")  # Sunday first
    rules = []
    for first, start in (("Sunday", 0), ("Monday", 1), ("Saturday", 6)):
        grid = f'{cal}:has(tbody tr:first-child td:first-child [aria-label^="{first},"])'
        for i in range(7):
            rules.append(_replace(f"{grid} thead th:nth-child({i + 1})", days[(start + i) % 7], "14px"))
    for n, name in enumerate(EN_MONTHS, 1):
        month = t("streamlit.calendar_month", lang, n=n)
        button = f'{cal} [role=application][aria-label*=", {name} "] button[aria-label=month]'
        rules.append(_replace(button, month, "14px", where="before"))
        option = f'[data-testid=stDateInputHeaderPickerPopover] [role=option][data-key="{n}"]'
        rules.append(_replace(option, month, "14px"))
    return rules


def apply(lang: Lang) -> None:
    """Put the overrides on the page (once per run, like the print styles)."""
    st.html(f"<style>{css(lang)}</style>")


@functools.cache
def calendar_css(lang: Lang) -> str:
    """The date box's pop-up calendar in Chinese (weekdays, months); nothing to change in English."""
    return "\n".join(_calendar(lang)) if lang == "zh" else ""


def calendar(lang: Lang) -> None:
    """The pop-up calendar's words, on the pages with a date box (questionnaire, plan, timeline): the
    rules are most of the overrides' size, sent and parsed with every run of the pages that show them."""
    if css_text := calendar_css(lang):
        st.html(f"<style>{css_text}</style>")
