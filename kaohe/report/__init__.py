"""The per-year report suite: parameterized notebooks run by papermill, offline HTML,
Excel workbooks (``kaohe report``). Importing this package is light: papermill and
nbconvert are imported by :mod:`kaohe.report.generation` only."""
