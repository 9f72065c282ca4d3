"""Pages of the supervision app, one module per topic; ``supervision/urls.py`` routes to them."""
