"""Forms of the care pages, one module per topic."""
