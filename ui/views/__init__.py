"""Views too large for a page file: the sidebar, the Report, Plan, History and Portfolio machinery, the store
panel. Session services that draw nothing live in ``ui.session``."""
