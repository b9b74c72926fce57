"""The static tables (``ui.tables.table_html``): user text stays text, long texts go under their row."""

from __future__ import annotations

import pandas as pd
from table_support import _Tables

from ui.tables import Col, preview_columns, table_html

HOSTILE = '<img src=x onerror="alert(1)">**bold** & <script>x()</script>'


def parsed(markup: str) -> list[dict]:
    parser = _Tables()
    parser.feed(markup)
    return parser.tables[0][1]


def test_a_typed_note_is_shown_as_text_never_as_markup():
    frame = pd.DataFrame([{"action": "签订合同", "notes": HOSTILE}])
    markup = table_html(frame, [Col("action", "行动"), Col("notes", "备注", detail=True)], "zh")
    assert "<img" not in markup and "<script" not in markup
    assert parsed(markup) == [{"行动": "签订合同", "备注": HOSTILE}]


def test_long_texts_sit_under_their_row_and_nothing_there_is_left_out():
    frame = pd.DataFrame(
        [
            {"rule": "注册资本", "remedy": "增资至 1,000 万元", "source": None},
            {"rule": "办公面积", "remedy": None, "source": "地方做法"},
        ]
    )
    columns = [Col("rule", "规则"), Col("remedy", "整改建议", detail=True), Col("source", "依据", detail=True)]
    markup = table_html(frame, columns, "zh")
    assert markup.count("</th>") == 1  # one column; the long texts are lines under the rows
    assert markup.count('class="ccl-detail"') == 2
    assert "整改建议：</span>增资至 1,000 万元" in markup and "依据：</span>地方做法" in markup
    assert parsed(markup) == [
        {"规则": "注册资本", "整改建议": "增资至 1,000 万元"},
        {"规则": "办公面积", "依据": "地方做法"},
    ]


def test_a_list_in_a_cell_keeps_its_lines_and_an_empty_cell_reads_as_a_dash():
    rows = [{"item": "为什么", "content": "• 主要差距：组网方案\n• 总分 81.7 分"}, {"item": "备注", "content": None}]
    frame = pd.DataFrame(rows)
    markup = table_html(frame, [Col("item", "项目"), Col("content", "内容")], "zh")
    assert "• 主要差距：组网方案<br>• 总分 81.7 分" in markup
    assert '<td data-label="内容" class="ccl-empty">—</td>' in markup  # a phone's card leaves it out


def test_the_report_preview_puts_only_long_columns_under_the_row():
    long = "《电信业务经营许可管理办法》（工业和信息化部令第42号）第六条第（一）项"
    sheet = pd.DataFrame([{"规则": "公司形式", "严重程度": "障碍", "依据": long, "工作量": "1–5"}])
    assert [c.detail for c in preview_columns(sheet)] == [False, False, True, False]
    summary = pd.DataFrame([{"项目": "为什么还不是“已就绪”", "内容": long}])
    assert not any(c.detail for c in preview_columns(summary))  # two columns: a plain table
