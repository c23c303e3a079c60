"""Solving a scenario into a plan: the options, the priorities in order, the cost stage's head
start.
"""
