"""The one Excel toolkit the plan, comparison and sweep workbooks are written with.

- `text`: literal text in cells, valid sheet, table and header names (Excel's rules);
- `styles`: number formats, fonts, fills, borders and colour scales (the shared look);
- `sheet`: `Sheet`, which writes safe cells, styled Excel Tables, headings, widths and
  print setup on one worksheet, in a `Layout` (`REPORT` or `GRID`);
- `charts`: what every chart needs beyond openpyxl's defaults;
- `saving`: `new_workbook`, and the deterministic, atomic `save_workbook` (`workbook_bytes`).

Imported only when a workbook is written (it imports openpyxl).
"""
