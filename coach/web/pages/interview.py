"""The interview page: not built yet."""

routes: list = []
