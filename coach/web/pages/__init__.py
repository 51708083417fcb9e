"""The pages, one module each with its `routes`: what it shows (GET) and what it changes (POST, streamed)."""
