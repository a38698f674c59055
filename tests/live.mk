# live.mk: filled in by its area
