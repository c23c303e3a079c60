"""The sheets of the plan workbook, one module each; `workbook.PLAN_SHEETS` lists them."""
