"""The story page: not built yet."""

routes: list = []
