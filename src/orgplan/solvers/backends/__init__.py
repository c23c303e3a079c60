"""One module per solver backend, each defining `BACKEND` (see `orgplan.solvers.registry`)."""
