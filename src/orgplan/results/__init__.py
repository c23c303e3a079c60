"""What solving gives: the frozen plan and its JSON (`orgplan.plan/1`)."""
