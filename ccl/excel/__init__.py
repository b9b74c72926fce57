"""Excel: the readiness report, the offline questionnaire, the portfolio export, and reading them back.

``report`` and ``template`` build workbooks (bytes), ``reader`` turns a filled questionnaire or an
exported report back into a profile behind the upload checks of ``guard``. ``common``, ``write``,
``tables`` and ``gantt`` are the shared building blocks.
"""
