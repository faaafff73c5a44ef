"""The parsing layer: article files → articles → dated events → entities, stories, reposts →
the cache and the store the web layer reads. It never imports Dash (a test checks it)."""
