"""The web layer: the Dash app, its layout, callbacks, figures and views. It never parses; it
asks the store (dashboard.parsing.store) built by the parsing layer."""
