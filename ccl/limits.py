"""Upload limits shared by every reader of a file handed in (``ccl.intake``, ``ccl.excel.reader`` and its
``ccl.excel.guard``). They live here, importing nothing, so the readers need not import each other.

One size limit for every file handed in: the Report page, the batch import and the CLI. Megabytes of
1,000,000 bytes, as Streamlit's upload box counts them on most systems (it multiplies its setting by
1,000² in the browser, except on Windows, and by 1,024² on the server). The box lets twice as much
through (UPLOADER_MB, also server.maxUploadSize in .streamlit/config.toml), so a file over the limit (an
11.5 MB export, a 19 MB scan) gets this program's message in the user's language rather than the box's
English one; only a file over 20 MB still meets the box's message, which cannot be translated.
"""

MB = 1_000_000
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * MB
UPLOADER_MB = 2 * MAX_UPLOAD_MB
