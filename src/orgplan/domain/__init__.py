"""Domain rules as plain functions over a scenario: levels, eligibility, floors, fit, gaps; the
fit table.
"""
