# tests/guests: rules added by its owner; see the top-level Makefile for the variables.
