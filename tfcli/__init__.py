"""tf: keep a task force's minutes as a living record."""

__version__ = "0.1.0"
