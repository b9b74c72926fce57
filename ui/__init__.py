"""The Streamlit user interface: session state, cached engine, sidebar, widgets and navigation.

Pages in ``pages/`` render what ``ccl`` computes; helpers here keep them short. Nothing in ``ccl``
imports from this package.
"""
