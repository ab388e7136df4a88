"""CLI commands, one module each; registered in :mod:`replylint.cli`."""
