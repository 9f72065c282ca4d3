"""Forms of the supervision app, one module per topic."""
