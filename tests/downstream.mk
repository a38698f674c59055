# downstream.mk: a configure script using m4/feat.m4
