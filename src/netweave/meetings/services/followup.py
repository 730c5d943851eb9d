"""See the package docstring."""

__all__: list[str] = []
