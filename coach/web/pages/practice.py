"""The practice page: not built yet."""

routes: list = []
