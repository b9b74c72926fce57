"""Page sections too large for a page file: the Report, History and Portfolio machinery, the store panel."""
