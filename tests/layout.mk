# layout.mk: filled in by its area
