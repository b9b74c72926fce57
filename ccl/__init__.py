"""CCL Readiness: self-assessment of readiness for the value-added telecom licence for call-centre services (B24).

The domain package: pure Python, no Streamlit. The app's pages and the CLI both call it.
"""

__version__ = "0.1.0"

import os as _os

# openpyxl parses with lxml whenever lxml is installed (python-docx brings it along), and then not through
# defusedxml. Uploaded workbooks must go through defusedxml, which refuses entity declarations outright, so
# openpyxl stays on the standard-library parser. Set here, before anything of the product imports openpyxl.
_os.environ["OPENPYXL_LXML"] = "False"
