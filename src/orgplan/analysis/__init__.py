"""Reading plans against each other: the side-by-side comparison, the verdict, the sweep's
frontier.
"""
