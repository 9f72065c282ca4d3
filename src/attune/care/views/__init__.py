"""Staff pages of the care app, one module per topic; ``care/urls.py`` routes to them."""
