"""The Excel workbooks: the staffing plan, the comparison and the sweep, on one toolkit."""
