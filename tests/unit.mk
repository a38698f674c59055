# unit.mk: filled in by its area
