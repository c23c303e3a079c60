"""The solver adapter: building rows through PuLP 3.3 or 4, and the backends that solve them."""
