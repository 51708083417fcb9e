"""The calls page: not built yet."""

routes: list = []
