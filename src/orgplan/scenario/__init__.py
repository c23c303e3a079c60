"""Scenario input: the typed format, reading files with their lines, cross-section checks, the
JSON Schema.
"""
