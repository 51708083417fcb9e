"""coach: an LLM-assisted behavioral interview coach grounded in your own power stories."""

__version__ = "0.1.0"
