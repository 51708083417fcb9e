"""The progress page: not built yet."""

routes: list = []
