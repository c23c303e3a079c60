"""Explanations in business terms: why a scenario cannot be planned, why work stays uncovered."""
