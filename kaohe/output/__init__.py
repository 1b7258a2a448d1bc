"""Tables and files for people: report views, workbooks, safe text, the import report, the offices' template."""
