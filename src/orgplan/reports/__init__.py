"""What people read: terminal output and the Excel workbooks."""
