"""The jobs behind the commands: check outputs, load, solve, write; parallel solves for compare
and sweep.
"""
