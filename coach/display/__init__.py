"""Rendering for people: layout that fits the terminal, colour only on a terminal, progress on stderr."""
