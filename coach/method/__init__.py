"""The method, offline: text measures, grounding in the user's material, the checks and the progress board."""
