"""The readiness brief as a PDF: content (``brief``), the CJK font (``fonts``) and the pages (``render``)."""
