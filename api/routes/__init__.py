"""One router per concern: health, checking, rewriting, the rule catalogue."""
