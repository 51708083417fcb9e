"""Import and export of the power-stories document."""
