"""The model's jobs: each a small task definition (prompt, output model, variables, checks, merge into the story)
run by one runner (`runner.py`) that loads, asks, re-asks, saves, keeps history and logs once for all of them."""
