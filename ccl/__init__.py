"""CCL Readiness: self-assessment of readiness for the value-added telecom licence for call-centre services (B24).

The domain package: pure Python, no Streamlit. The app's pages and the CLI both call it.
"""

__version__ = "0.1.0"
