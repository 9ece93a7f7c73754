"""Reading the lists people keep (CSV, Excel) into cleaned source-record rows.

- ``readers``: open a CSV (encoding and delimiter detected) or an .xlsx sheet and stream its rows;
- ``columns``: which header holds which field (Thai or English headers, or an explicit map);
- ``dates``: birth dates as typed in Thai lists, parsed once per distinct string;
- ``cleaning``: one row of text → the cleaned values a SourceRecord keeps, or the Thai reason
  it is rejected;
- ``report``: the error report CSV (original row + reason), safe to open in Excel;
- ``writer``: stage the cleaned rows, then apply them to the source in one transaction.
"""
